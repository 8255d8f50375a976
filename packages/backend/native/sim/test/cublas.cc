// The cuBLAS simulator behind puzzle::loadCublas: gemmEx and gemmStridedBatchedEx against a double-precision
// reference on the host, with cuBLAS's column-major conventions, leading dimensions, transposes, beta = 0, fp16
// storage, the operand rounding of the TF32 and BF16 compute types, and its argument and memory checks.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include <cuda_fp16.h>

#include "../../cublas_api.h"
#include "harness.h"

using selftest::cat;
using selftest::check;
using selftest::DeviceArray;
using selftest::fail;

namespace {

constexpr int kInvalidValue = 7;
constexpr int kExecutionFailed = 13;
constexpr int kNotSupported = 15;

/** The simulated cuBLAS with a handle, destroyed at the end of the case. */
class Blas {
 public:
  Blas() {
    std::string error;
    api_ = puzzle::loadCublas(error);
    if (!api_) fail(cat("loadCublas failed: ", error));
    check(api_->gemmStridedBatchedEx != nullptr && api_->statusString != nullptr, "the cuBLAS table lacks an entry");
    check(api_->create(&handle_) == puzzle::kCublasSuccess, "cublasCreate failed");
  }
  ~Blas() { api_->destroy(handle_); }
  Blas(const Blas&) = delete;
  Blas& operator=(const Blas&) = delete;

  const puzzle::CublasApi& api() const { return *api_; }
  puzzle::CublasHandle handle() const { return handle_; }

  /** cublasGemmEx with fp32 scalars. */
  int gemm(int transa, int transb, int m, int n, int k, float alpha, const void* a, int aType, int lda, const void* b,
           int bType, int ldb, float beta, void* c, int cType, int ldc, int compute = puzzle::kCublasCompute32F) const {
    return api_->gemmEx(handle_, transa, transb, m, n, k, &alpha, a, aType, lda, b, bType, ldb, &beta, c, cType, ldc, compute,
                        puzzle::kCublasGemmDefault);
  }

  std::string status(int code) const { return api_->statusString(code); }

 private:
  const puzzle::CublasApi* api_ = nullptr;
  puzzle::CublasHandle handle_ = nullptr;
};

/** Deterministic values in [-1, 1) that use all 24 bits of a float's mantissa (so operand rounding shows). */
class Values {
 public:
  explicit Values(uint64_t seed) : state_(seed * 0x9e3779b97f4a7c15ull + 1) {}
  float next() {
    state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<float>(static_cast<double>(state_ >> 40) / static_cast<double>(1ull << 23) - 1.0);
  }

 private:
  uint64_t state_;
};

/** A column-major rows×cols matrix with leading dimension ld, stored over exactly (cols − 1)·ld + rows elements:
 *  the allocation ends where cuBLAS stops reading, and the padding rows hold `padding`. */
struct Matrix {
  int rows, cols, ld;
  std::vector<float> data;

  Matrix(int r, int c, int leading, Values& values, float padding = 777.f)
      : rows(r), cols(c), ld(leading), data(static_cast<size_t>((c - 1) * leading + r), padding) {
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < rows; i++) data[static_cast<size_t>(i + j * ld)] = values.next();
    }
  }
  float at(int i, int j) const { return data[static_cast<size_t>(i + j * ld)]; }
};

using Rounding = std::function<float(float)>;
float exact(float v) { return v; }

/** TF32 operand: 10 mantissa bits, to nearest (ties away from zero, cvt.rna.tf32.f32). */
float toTf32(float v) {
  uint32_t u;
  std::memcpy(&u, &v, sizeof u);
  u = (u + 0x1000u) & 0xffffe000u;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

/** bfloat16 operand: 7 mantissa bits, to nearest even. */
float toBf16(float v) {
  uint32_t u;
  std::memcpy(&u, &v, sizeof u);
  u = (u + 0x7fffu + ((u >> 16) & 1u)) & 0xffff0000u;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

/** alpha·op(A)·op(B) + beta·C in double, dense column-major m×n; the operands pass through `round` first. */
std::vector<double> reference(int transa, int transb, int m, int n, int k, double alpha, const Matrix& a, const Matrix& b,
                              double beta, const Matrix* c, const Rounding& round = exact) {
  std::vector<double> out(static_cast<size_t>(m) * n);
  for (int j = 0; j < n; j++) {
    for (int i = 0; i < m; i++) {
      double sum = 0;
      for (int p = 0; p < k; p++) {
        const float av = transa == puzzle::kCublasOpN ? a.at(i, p) : a.at(p, i);
        const float bv = transb == puzzle::kCublasOpN ? b.at(p, j) : b.at(j, p);
        sum += static_cast<double>(round(av)) * round(bv);
      }
      out[static_cast<size_t>(i + j * m)] = alpha * sum + (beta != 0 ? beta * c->at(i, j) : 0.0);
    }
  }
  return out;
}

/** The largest |got − expected| over the m×n result stored with leading dimension ldc. */
double maxError(const std::vector<float>& got, int ldc, const std::vector<double>& expected, int m, int n) {
  double worst = 0;
  for (int j = 0; j < n; j++) {
    for (int i = 0; i < m; i++) {
      const double e = std::fabs(got[static_cast<size_t>(i + j * ldc)] - expected[static_cast<size_t>(i + j * m)]);
      worst = std::isnan(e) ? INFINITY : (e > worst ? e : worst);
    }
  }
  return worst;
}

const char* opName(int op) { return op == puzzle::kCublasOpN ? "N" : "T"; }

SELFTEST_CASE(gemmTransposes, "cuBLAS gemmEx: N/T combinations, non-square, padded lda/ldb/ldc, against fp64") {
  const Blas blas;
  constexpr int m = 7, n = 5, k = 6;
  Values values(1);
  for (int transa : {puzzle::kCublasOpN, puzzle::kCublasOpT}) {
    for (int transb : {puzzle::kCublasOpN, puzzle::kCublasOpT}) {
      const std::string call = cat("gemmEx ", opName(transa), opName(transb));
      const int aRows = transa == puzzle::kCublasOpN ? m : k;
      const int bRows = transb == puzzle::kCublasOpN ? k : n;
      const Matrix a(aRows, transa == puzzle::kCublasOpN ? k : m, aRows + 3, values);
      const Matrix b(bRows, transb == puzzle::kCublasOpN ? n : k, bRows + 2, values);
      const Matrix c(m, n, m + 4, values);
      DeviceArray<float> dA(a.data), dB(b.data), dC(c.data);
      const int status = blas.gemm(transa, transb, m, n, k, 1.5f, dA.get(), puzzle::kCudaR32F, a.ld, dB.get(), puzzle::kCudaR32F,
                                   b.ld, -0.5f, dC.get(), puzzle::kCudaR32F, c.ld);
      check(status == puzzle::kCublasSuccess, cat(call, " returned ", blas.status(status)));
      const std::vector<float> got = dC.download();
      const double error = maxError(got, c.ld, reference(transa, transb, m, n, k, 1.5, a, b, -0.5, &c), m, n);
      check(error < 1e-5, cat(call, ": largest error vs fp64 ", error));
      for (int j = 0; j + 1 < n; j++) {
        for (int i = m; i < c.ld; i++) {
          check(got[static_cast<size_t>(i + j * c.ld)] == 777.f, cat(call, " wrote C's padding at row ", i, " column ", j));
        }
      }
    }
  }
}

SELFTEST_CASE(gemmBetaZeroIgnoresNan, "cuBLAS gemmEx: beta = 0 never reads C (NaN in C does not propagate)") {
  const Blas blas;
  constexpr int m = 6, n = 4, k = 3;
  Values values(2);
  const Matrix a(m, k, m, values), b(k, n, k, values);
  DeviceArray<float> dA(a.data), dB(b.data);
  DeviceArray<float> dC(static_cast<size_t>(m) * n);  // fresh: every element NaN
  const int status = blas.gemm(puzzle::kCublasOpN, puzzle::kCublasOpN, m, n, k, 2.f, dA.get(), puzzle::kCudaR32F, m, dB.get(),
                               puzzle::kCudaR32F, k, 0.f, dC.get(), puzzle::kCudaR32F, m);
  check(status == puzzle::kCublasSuccess, cat("gemmEx returned ", blas.status(status)));
  const double error = maxError(dC.download(), m, reference(puzzle::kCublasOpN, puzzle::kCublasOpN, m, n, k, 2.0, a, b, 0.0, nullptr), m, n);
  check(error < 1e-5, cat("with beta = 0 over a NaN C, the largest error is ", error));
}

SELFTEST_CASE(gemmStridedBatchedSharedOperand, "cuBLAS gemmStridedBatchedEx: batch stride 0 shares A across the batch") {
  const Blas blas;
  constexpr int m = 4, n = 3, k = 5, batch = 3;
  Values values(3);
  // A (transposed: stored k×m) is one matrix for every batch; B and C have a matrix per batch, with gaps between.
  const Matrix a(k, m, k + 1, values);
  const int ldb = k, strideB = ldb * n + 7, ldc = m + 1, strideC = ldc * n + 2;
  std::vector<Matrix> bs, cs;
  std::vector<float> bData(static_cast<size_t>(strideB) * batch, 555.f), cData(static_cast<size_t>(strideC) * batch, 555.f);
  for (int i = 0; i < batch; i++) {
    bs.emplace_back(k, n, ldb, values);
    cs.emplace_back(m, n, ldc, values);
    std::copy(bs.back().data.begin(), bs.back().data.end(), bData.begin() + i * strideB);
    std::copy(cs.back().data.begin(), cs.back().data.end(), cData.begin() + i * strideC);
  }
  DeviceArray<float> dA(a.data), dB(bData), dC(cData);
  const float alpha = 0.75f, beta = 2.f;
  const int status = blas.api().gemmStridedBatchedEx(blas.handle(), puzzle::kCublasOpT, puzzle::kCublasOpN, m, n, k, &alpha, dA.get(),
                                                     puzzle::kCudaR32F, a.ld, 0, dB.get(), puzzle::kCudaR32F, ldb, strideB, &beta,
                                                     dC.get(), puzzle::kCudaR32F, ldc, strideC, batch, puzzle::kCublasCompute32F,
                                                     puzzle::kCublasGemmDefault);
  check(status == puzzle::kCublasSuccess, cat("gemmStridedBatchedEx returned ", blas.status(status)));
  const std::vector<float> got = dC.download();
  for (int i = 0; i < batch; i++) {
    const std::vector<float> slice(got.begin() + i * strideC, got.begin() + i * strideC + ldc * n);
    const double error = maxError(slice, ldc, reference(puzzle::kCublasOpT, puzzle::kCublasOpN, m, n, k, alpha, a, bs[i], beta, &cs[i]), m, n);
    check(error < 1e-5, cat("batch ", i, ": largest error vs fp64 ", error));
    check(got[static_cast<size_t>(i * strideC + ldc * n)] == 555.f, cat("batch ", i, " wrote past its C matrix"));
  }
}

SELFTEST_CASE(gemmHalfStorage, "cuBLAS gemmEx: fp16 A and B with fp32 C, and with fp16 C") {
  const Blas blas;
  constexpr int m = 5, n = 4, k = 8;
  // Multiples of 1/64 in [-2, 2): exact in fp16, and every product and sum exact in fp32.
  std::vector<__half> a(m * k), b(k * n);
  std::vector<double> av(m * k), bv(k * n);
  for (int i = 0; i < m * k; i++) av[i] = ((i * 37) % 256 - 128) / 64.0;
  for (int i = 0; i < k * n; i++) bv[i] = ((i * 53 + 11) % 256 - 128) / 64.0;
  for (int i = 0; i < m * k; i++) a[i] = __float2half_rn(static_cast<float>(av[i]));
  for (int i = 0; i < k * n; i++) b[i] = __float2half_rn(static_cast<float>(bv[i]));
  DeviceArray<__half> dA(a), dB(b);
  DeviceArray<float> dC(static_cast<size_t>(m) * n);
  DeviceArray<__half> dCHalf(static_cast<size_t>(m) * n);
  int status = blas.gemm(puzzle::kCublasOpN, puzzle::kCublasOpN, m, n, k, 1.f, dA.get(), puzzle::kCudaR16F, m, dB.get(),
                         puzzle::kCudaR16F, k, 0.f, dC.get(), puzzle::kCudaR32F, m);
  check(status == puzzle::kCublasSuccess, cat("fp16 × fp16 → fp32 returned ", blas.status(status)));
  status = blas.gemm(puzzle::kCublasOpN, puzzle::kCublasOpN, m, n, k, 1.f, dA.get(), puzzle::kCudaR16F, m, dB.get(),
                     puzzle::kCudaR16F, k, 0.f, dCHalf.get(), puzzle::kCudaR16F, m);
  check(status == puzzle::kCublasSuccess, cat("fp16 × fp16 → fp16 returned ", blas.status(status)));
  const std::vector<float> got = dC.download();
  const std::vector<__half> gotHalf = dCHalf.download();
  for (int j = 0; j < n; j++) {
    for (int i = 0; i < m; i++) {
      double expected = 0;
      for (int p = 0; p < k; p++) expected += av[i + p * m] * bv[p + j * k];
      const float f = got[i + j * m];
      check(f == expected, cat("fp32 C(", i, ",", j, ") is ", f, ", expected ", expected));
      const float h = __half2float(gotHalf[i + j * m]);
      const float expectedHalf = __half2float(__float2half_rn(static_cast<float>(expected)));
      check(h == expectedHalf, cat("fp16 C(", i, ",", j, ") is ", h, ", expected ", expectedHalf));
    }
  }
}

/** Runs an m×n×k fp32 gemm under `compute`; returns C. */
std::vector<float> gemmUnder(const Blas& blas, int compute, const Matrix& a, const Matrix& b, int m, int n, int k) {
  DeviceArray<float> dA(a.data), dB(b.data);
  DeviceArray<float> dC(static_cast<size_t>(m) * n);
  const int status = blas.gemm(puzzle::kCublasOpN, puzzle::kCublasOpN, m, n, k, 1.f, dA.get(), puzzle::kCudaR32F, a.ld, dB.get(),
                               puzzle::kCudaR32F, b.ld, 0.f, dC.get(), puzzle::kCudaR32F, m, compute);
  check(status == puzzle::kCublasSuccess, cat("gemmEx with compute type ", compute, " returned ", blas.status(status)));
  return dC.download();
}

/** A fast compute type is less accurate than CUBLAS_COMPUTE_32F, exactly as much as rounding its operands explains. */
void checkOperandRounding(int compute, const char* name, const Rounding& round) {
  const Blas blas;
  constexpr int m = 8, n = 8, k = 256;
  Values values(4);
  const Matrix a(m, k, m, values), b(k, n, k, values);
  const std::vector<double> exactRef = reference(puzzle::kCublasOpN, puzzle::kCublasOpN, m, n, k, 1.0, a, b, 0.0, nullptr);
  const std::vector<double> roundedRef = reference(puzzle::kCublasOpN, puzzle::kCublasOpN, m, n, k, 1.0, a, b, 0.0, nullptr, round);
  const double error32 = maxError(gemmUnder(blas, puzzle::kCublasCompute32F, a, b, m, n, k), m, exactRef, m, n);
  const std::vector<float> fast = gemmUnder(blas, compute, a, b, m, n, k);
  const double errorFast = maxError(fast, m, exactRef, m, n);
  const double errorMatched = maxError(fast, m, roundedRef, m, n);
  const std::string numbers = cat(name, ": largest error vs fp64 ", errorFast, " (CUBLAS_COMPUTE_32F: ", error32,
                                  "), vs fp64 on operands rounded the same way ", errorMatched);
  check(error32 < 5e-5, numbers);
  // The operands' rounding error (2^-11 relative for TF32, 2^-8 for BF16) dwarfs fp32 accumulation's.
  check(errorFast > 20 * error32 && errorFast > 1e-4, numbers + ": the operands were not rounded");
  // What remains once the rounding is accounted for is fp32 accumulation, a few 1e-6 like CUBLAS_COMPUTE_32F's;
  // operands truncated instead of rounded, or rounded to another width, miss by 1e-3 and more.
  check(errorMatched < 5e-5, numbers + ": the operands were rounded differently");
}

SELFTEST_CASE(gemmTf32, "cuBLAS gemmEx: CUBLAS_COMPUTE_32F_FAST_TF32 rounds operands to TF32") {
  checkOperandRounding(puzzle::kCublasCompute32FFastTF32, "TF32", toTf32);
}

SELFTEST_CASE(gemmBf16, "cuBLAS gemmEx: CUBLAS_COMPUTE_32F_FAST_16BF rounds operands to bfloat16") {
  checkOperandRounding(puzzle::kCublasCompute32FFast16BF, "BF16", toBf16);
}

SELFTEST_CASE(gemmArgumentErrors, "cuBLAS: argument errors are status 7 (unsupported types 15), explained by statusString") {
  const Blas blas;
  DeviceArray<float> a(64), b(64);
  DeviceArray<float> c(std::vector<float>(64, 3.f));
  auto gemm = [&](int transa, int m, int n, int k, int lda, int ldb, int ldc, int aType = puzzle::kCudaR32F,
                  int compute = puzzle::kCublasCompute32F) {
    return blas.gemm(transa, puzzle::kCublasOpN, m, n, k, 1.f, a.get(), aType, lda, b.get(), puzzle::kCudaR32F, ldb, 0.f, c.get(),
                     puzzle::kCudaR32F, ldc, compute);
  };
  // statusString explains the last failure, so each call's status is read right after it.
  auto expectStatus = [&](const char* what, int status, int expected, std::initializer_list<const char*> words) {
    check(status == expected, cat(what, ": status ", status, " (", blas.status(status), "), expected ", expected));
    selftest::checkWords(blas.status(status), words, what);
  };
  expectStatus("lda 3 < m 4", gemm(puzzle::kCublasOpN, 4, 4, 4, 3, 4, 4), kInvalidValue, {"CUBLAS_STATUS_INVALID_VALUE", "lda 3"});
  expectStatus("lda 3 < k 4 for a transposed A", gemm(puzzle::kCublasOpT, 4, 4, 4, 3, 4, 4), kInvalidValue, {"lda 3"});
  expectStatus("ldb 2 < k 4", gemm(puzzle::kCublasOpN, 4, 4, 4, 4, 2, 4), kInvalidValue, {"ldb 2"});
  expectStatus("ldc 3 < m 4", gemm(puzzle::kCublasOpN, 4, 4, 4, 4, 4, 3), kInvalidValue, {"ldc 3"});
  expectStatus("m = -1", gemm(puzzle::kCublasOpN, -1, 4, 4, 4, 4, 4), kInvalidValue, {"CUBLAS_STATUS_INVALID_VALUE", "negative"});
  expectStatus("transa 2", gemm(2, 4, 4, 4, 4, 4, 4), kInvalidValue, {"transa 2"});
  expectStatus("fp32 with an fp16 A", gemm(puzzle::kCublasOpN, 4, 4, 4, 4, 4, 4, puzzle::kCudaR16F), kNotSupported,
               {"CUBLAS_STATUS_NOT_SUPPORTED"});
  expectStatus("fp16 with the TF32 compute type", blas.gemm(puzzle::kCublasOpN, puzzle::kCublasOpN, 4, 4, 4, 1.f, a.get(), puzzle::kCudaR16F, 4,
                                                            b.get(), puzzle::kCudaR16F, 4, 0.f, c.get(), puzzle::kCudaR32F, 4,
                                                            puzzle::kCublasCompute32FFastTF32),
               kNotSupported, {"CUBLAS_STATUS_NOT_SUPPORTED", "compute type 77"});
  // Overlapping C matrices of a batch are an argument error too.
  const float one = 1.f, zero = 0.f;
  const int overlap = blas.api().gemmStridedBatchedEx(blas.handle(), puzzle::kCublasOpN, puzzle::kCublasOpN, 4, 4, 4, &one, a.get(),
                                                      puzzle::kCudaR32F, 4, 0, b.get(), puzzle::kCudaR32F, 4, 0, &zero, c.get(),
                                                      puzzle::kCudaR32F, 4, 8, 2, puzzle::kCublasCompute32F, puzzle::kCublasGemmDefault);
  expectStatus("overlapping C batches", overlap, kInvalidValue, {"strideC 8"});
  check(c.download() == std::vector<float>(64, 3.f), "a refused gemm wrote C");
}

SELFTEST_CASE(gemmOperandOutsideDevice, "cuBLAS: an operand outside device memory is status 13, explained by statusString") {
  const Blas blas;
  constexpr int m = 4, n = 4, k = 4;
  DeviceArray<float> a(m * k);
  DeviceArray<float> shortB(k * n - 1);  // one element short
  DeviceArray<float> b(k * n);
  DeviceArray<float> c(std::vector<float>(m * n, 3.f));
  std::vector<float> hostA(m * k, 1.f);
  int status = blas.gemm(puzzle::kCublasOpN, puzzle::kCublasOpN, m, n, k, 1.f, hostA.data(), puzzle::kCudaR32F, m, b.get(),
                         puzzle::kCudaR32F, k, 0.f, c.get(), puzzle::kCudaR32F, m);
  check(status == kExecutionFailed, cat("A in host memory: status ", status, " (", blas.status(status), "), expected 13"));
  selftest::checkWords(blas.status(status), {"CUBLAS_STATUS_EXECUTION_FAILED", "matrix A", "not in any live device allocation"},
                       "A in host memory");
  status = blas.gemm(puzzle::kCublasOpN, puzzle::kCublasOpN, m, n, k, 1.f, a.get(), puzzle::kCudaR32F, m, shortB.get(),
                     puzzle::kCudaR32F, k, 0.f, c.get(), puzzle::kCudaR32F, m);
  check(status == kExecutionFailed, cat("B one element short: status ", status, " (", blas.status(status), "), expected 13"));
  selftest::checkWords(blas.status(status), {"matrix B", "4 bytes past the end"}, "B one element short");
  // A batch count beyond C's allocation.
  const float one = 1.f, zero = 0.f;
  status = blas.api().gemmStridedBatchedEx(blas.handle(), puzzle::kCublasOpN, puzzle::kCublasOpN, m, n, k, &one, a.get(),
                                           puzzle::kCudaR32F, m, 0, b.get(), puzzle::kCudaR32F, k, 0, &zero, c.get(), puzzle::kCudaR32F,
                                           m, m * n, 2, puzzle::kCublasCompute32F, puzzle::kCublasGemmDefault);
  check(status == kExecutionFailed, cat("two C matrices in room for one: status ", status, ", expected 13"));
  selftest::checkWords(blas.status(status), {"matrix C", "past the end"}, "two C matrices in room for one");
  check(c.download() == std::vector<float>(m * n, 3.f), "a refused gemm wrote C");
}

}  // namespace
