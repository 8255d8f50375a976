// cuBLAS on the CPU, behind the same function table the real loader fills with dlsym (cublas_api.h): a reference
// gemm with cuBLAS's column-major conventions and argument checks, the storage and compute types we pass, and the
// operand rounding of the TF32 and bfloat16 compute types, so that the precision tests measure something. Every
// matrix a call reads or writes must lie inside one live device allocation; the simulator reports it otherwise.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "../cublas_api.h"
#include "device_memory.h"
#include "sim_state.h"

namespace puzzle {

namespace {

// cublasStatus_t values.
constexpr int kNotInitialized = 1;
constexpr int kInvalidValue = 7;
constexpr int kExecutionFailed = 13;
constexpr int kNotSupported = 15;

struct SimHandle {
  cudaStream_t stream = nullptr;
};

std::string lastStatusText;

int failWith(int status, const std::string& text) {
  lastStatusText = text;
  return status;
}

const char* statusName(int status) {
  switch (status) {
    case kCublasSuccess: return "CUBLAS_STATUS_SUCCESS";
    case kNotInitialized: return "CUBLAS_STATUS_NOT_INITIALIZED";
    case kInvalidValue: return "CUBLAS_STATUS_INVALID_VALUE";
    case kExecutionFailed: return "CUBLAS_STATUS_EXECUTION_FAILED";
    case kNotSupported: return "CUBLAS_STATUS_NOT_SUPPORTED";
    default: return "CUBLAS_STATUS_UNKNOWN";
  }
}

/** TF32 keeps 10 mantissa bits of a float, rounded to nearest (ties away, as cvt.rna.tf32.f32). */
float roundToTf32(float v) {
  if (!std::isfinite(v)) return v;
  uint32_t u;
  std::memcpy(&u, &v, sizeof u);
  u = (u + 0x1000u) & ~0x1fffu;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

float roundToBfloat16(float v) { return __bfloat162float(__float2bfloat16_rn(v)); }

float loadElement(const void* base, int64_t index, int type) {
  if (type == kCudaR16F) return __half2float(static_cast<const __half*>(base)[index]);
  return static_cast<const float*>(base)[index];
}

void storeElement(void* base, int64_t index, int type, float v) {
  if (type == kCudaR16F) static_cast<__half*>(base)[index] = __float2half_rn(v);
  else static_cast<float*>(base)[index] = v;
}

int itemBytes(int type) { return type == kCudaR16F ? 2 : 4; }

struct GemmCall {
  const char* name;
  int transa, transb, m, n, k;
  float alpha, beta;
  const void* a;
  int aType, lda;
  long long strideA;
  const void* b;
  int bType, ldb;
  long long strideB;
  void* c;
  int cType, ldc;
  long long strideC;
  int batch;
  int computeType;
};

/** The bytes a column-major rows×cols matrix with leading dimension ld spans, over `batch` matrices `stride` apart. */
size_t span(int rows, int cols, int ld, long long stride, int batch, int type) {
  if (rows == 0 || cols == 0 || batch == 0) return 0;
  const long long one = static_cast<long long>(cols - 1) * ld + rows;
  return static_cast<size_t>((static_cast<long long>(batch - 1) * stride + one) * itemBytes(type));
}

/** cuBLAS's argument checks, then the simulator's: types we support, operands inside device memory. */
int check(const GemmCall& g) {
  auto bad = [&](const std::string& what) { return failWith(kInvalidValue, std::string(g.name) + ": " + what); };
  if (g.transa != kCublasOpN && g.transa != kCublasOpT) return bad("transa " + std::to_string(g.transa) + " is not N or T");
  if (g.transb != kCublasOpN && g.transb != kCublasOpT) return bad("transb " + std::to_string(g.transb) + " is not N or T");
  if (g.m < 0 || g.n < 0 || g.k < 0 || g.batch < 0) return bad("a negative m, n, k or batch count");
  const int aRows = g.transa == kCublasOpN ? g.m : g.k;
  const int bRows = g.transb == kCublasOpN ? g.k : g.n;
  if (g.lda < std::max(1, aRows)) return bad("lda " + std::to_string(g.lda) + " < max(1, " + std::to_string(aRows) + ")");
  if (g.ldb < std::max(1, bRows)) return bad("ldb " + std::to_string(g.ldb) + " < max(1, " + std::to_string(bRows) + ")");
  if (g.ldc < std::max(1, g.m)) return bad("ldc " + std::to_string(g.ldc) + " < max(1, m = " + std::to_string(g.m) + ")");
  const bool fp32 = g.aType == kCudaR32F && g.bType == kCudaR32F && g.cType == kCudaR32F;
  const bool fp16 = g.aType == kCudaR16F && g.bType == kCudaR16F && (g.cType == kCudaR16F || g.cType == kCudaR32F);
  const bool computeOk = fp32 ? (g.computeType == kCublasCompute32F || g.computeType == kCublasCompute32FFastTF32 ||
                                 g.computeType == kCublasCompute32FFast16BF)
                              : g.computeType == kCublasCompute32F;
  if (!(fp32 || fp16) || !computeOk) {
    return failWith(kNotSupported, std::string(g.name) + ": types A " + std::to_string(g.aType) + ", B " + std::to_string(g.bType) +
                                       ", C " + std::to_string(g.cType) + " with compute type " + std::to_string(g.computeType) +
                                       " are not a combination cuBLAS supports");
  }
  if (g.m == 0 || g.n == 0 || g.batch == 0) return kCublasSuccess;
  // Batches of C must not overlap: on a GPU they are written concurrently.
  if (g.batch > 1 && g.strideC < static_cast<long long>(g.ldc) * (g.n - 1) + g.m) {
    return bad("strideC " + std::to_string(g.strideC) + " makes the C matrices of the batch overlap");
  }
  struct Operand {
    const char* role;
    const void* p;
    size_t bytes;
  };
  const Operand operands[] = {
      {"A", g.a, g.k == 0 ? 0 : span(aRows, g.transa == kCublasOpN ? g.k : g.m, g.lda, g.strideA, g.batch, g.aType)},
      {"B", g.b, g.k == 0 ? 0 : span(bRows, g.transb == kCublasOpN ? g.n : g.k, g.ldb, g.strideB, g.batch, g.bType)},
      {"C", g.c, span(g.m, g.n, g.ldc, g.strideC, g.batch, g.cType)},
  };
  for (const Operand& o : operands) {
    if (o.bytes == 0) continue;
    const std::string problem = puzzle_sim::checkDeviceRange(o.p, o.bytes, o.role);
    if (!problem.empty()) {
      // On a GPU this is an illegal address inside the gemm kernel.
      return failWith(kExecutionFailed, std::string(g.name) + ": matrix " + problem + " [CUDA simulator]");
    }
  }
  return kCublasSuccess;
}

/** C = alpha·op(A)·op(B) + beta·C per batch, accumulated in fp32 along k; beta = 0 never reads C. */
void compute(const GemmCall& g) {
  const bool tf32 = g.computeType == kCublasCompute32FFastTF32;
  const bool bf16 = g.computeType == kCublasCompute32FFast16BF;
  auto operand = [&](float v) { return tf32 ? roundToTf32(v) : (bf16 ? roundToBfloat16(v) : v); };
  std::vector<float> rowA(static_cast<size_t>(g.k));
  std::vector<float> colsB(static_cast<size_t>(g.k) * g.n);
  for (int batch = 0; batch < g.batch; batch++) {
    const auto* a = static_cast<const char*>(g.a) + batch * g.strideA * itemBytes(g.aType);
    const auto* b = static_cast<const char*>(g.b) + batch * g.strideB * itemBytes(g.bType);
    auto* c = static_cast<char*>(g.c) + batch * g.strideC * itemBytes(g.cType);
    for (int j = 0; j < g.n; j++) {
      for (int p = 0; p < g.k; p++) {
        const int64_t at = g.transb == kCublasOpN ? p + static_cast<int64_t>(j) * g.ldb : j + static_cast<int64_t>(p) * g.ldb;
        colsB[static_cast<size_t>(j) * g.k + p] = operand(loadElement(b, at, g.bType));
      }
    }
    for (int i = 0; i < g.m; i++) {
      for (int p = 0; p < g.k; p++) {
        const int64_t at = g.transa == kCublasOpN ? i + static_cast<int64_t>(p) * g.lda : p + static_cast<int64_t>(i) * g.lda;
        rowA[p] = operand(loadElement(a, at, g.aType));
      }
      for (int j = 0; j < g.n; j++) {
        const float* col = colsB.data() + static_cast<size_t>(j) * g.k;
        float acc = 0.f;
        for (int p = 0; p < g.k; p++) acc += rowA[p] * col[p];
        const int64_t at = i + static_cast<int64_t>(j) * g.ldc;
        const float result = g.beta == 0.f ? g.alpha * acc : g.alpha * acc + g.beta * loadElement(c, at, g.cType);
        storeElement(c, at, g.cType, result);
      }
    }
  }
}

int run(const GemmCall& g) {
  const int status = check(g);
  if (status != kCublasSuccess || g.m == 0 || g.n == 0 || g.batch == 0) return status;
  puzzle_sim::counters().gemms++;
  compute(g);
  return kCublasSuccess;
}

int create(CublasHandle* handle) {
  *handle = reinterpret_cast<CublasHandle>(new SimHandle());
  return kCublasSuccess;
}

int destroy(CublasHandle handle) {
  if (!handle) return failWith(kNotInitialized, "cublasDestroy: null handle");
  delete reinterpret_cast<SimHandle*>(handle);
  return kCublasSuccess;
}

int setStream(CublasHandle handle, cudaStream_t stream) {
  if (!handle) return failWith(kNotInitialized, "cublasSetStream: null handle");
  reinterpret_cast<SimHandle*>(handle)->stream = stream;
  return kCublasSuccess;
}

float hostScalar(const void* p) { return *static_cast<const float*>(p); }

int gemmEx(CublasHandle handle, int transa, int transb, int m, int n, int k, const void* alpha, const void* a, int aType,
           int lda, const void* b, int bType, int ldb, const void* beta, void* c, int cType, int ldc, int computeType,
           int) {
  if (!handle) return failWith(kNotInitialized, "cublasGemmEx: null handle");
  return run(GemmCall{"cublasGemmEx", transa, transb, m, n, k, hostScalar(alpha), hostScalar(beta), a, aType, lda, 0, b,
                      bType, ldb, 0, c, cType, ldc, 0, 1, computeType});
}

int gemmStridedBatchedEx(CublasHandle handle, int transa, int transb, int m, int n, int k, const void* alpha,
                         const void* a, int aType, int lda, long long strideA, const void* b, int bType, int ldb,
                         long long strideB, const void* beta, void* c, int cType, int ldc, long long strideC,
                         int batchCount, int computeType, int) {
  if (!handle) return failWith(kNotInitialized, "cublasGemmStridedBatchedEx: null handle");
  return run(GemmCall{"cublasGemmStridedBatchedEx", transa, transb, m, n, k, hostScalar(alpha), hostScalar(beta), a, aType,
                      lda, strideA, b, bType, ldb, strideB, c, cType, ldc, strideC, batchCount, computeType});
}

const char* statusString(int status) {
  static std::string text;
  text = statusName(status);
  if (status != kCublasSuccess && !lastStatusText.empty()) text += " (" + lastStatusText + ")";
  return text.c_str();
}

}  // namespace

const CublasApi* loadCublas(std::string&) {
  static const CublasApi api = {create, destroy, setStream, gemmEx, gemmStridedBatchedEx, statusString,
                                "cuBLAS simulator (reference gemm on the CPU)"};
  return &api;
}

}  // namespace puzzle
