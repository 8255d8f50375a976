// gemm(dtype, transA, transB, m, n, k, alpha, a, b, beta, c, precision) for row-major matrices through cuBLAS.
// cuBLAS is column-major; a row-major matrix read column-major is its transpose, so the row-major product
// C = op(A)·op(B) is computed as the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the operands, keep each one's flag.
#include <climits>

#include "cuda_check.h"
#include "device_state.h"
#include "entries.h"
#include "kernels.h"
#include "matmul_precision.h"
#include "op_codes.h"

namespace puzzle {

namespace {

int dimension(int64_t value, const char* what) {
  if (value > INT_MAX) fail("ERR_PUZZLE_GEMM", std::string("gemm: ") + what + " exceeds 2^31 - 1");
  return static_cast<int>(value);
}

/** k = 0: the product is empty, so out = beta·out (or zeros when beta = 0, ignoring out's contents). */
void scaleOnly(int dtype, void* c, int64_t count, float beta) {
  if (beta == 0.f) {
    checkCuda(cudaMemsetAsync(c, 0, static_cast<size_t>(count) * (dtype == kFloat16 ? 2 : 4), nullptr), "cudaMemsetAsync");
    return;
  }
  ArithmeticArgs scale{c, c, c, count, beta, 0.f, 1};
  checkCuda(launchArithmetic(kLinear, dtype, scale), "gemm scaling kernel");
}

napi_value gemm(const Args& args) {
  const DeviceState& s = readyDevice("gemm");
  const int dtype = args.code(0);
  const bool transA = args.flag(1);
  const bool transB = args.flag(2);
  const int m = dimension(args.count(3), "m");
  const int n = dimension(args.count(4), "n");
  const int k = dimension(args.count(5), "k");
  const float alpha = static_cast<float>(args.number(6));
  const void* a = args.pointer(7);
  const void* b = args.pointer(8);
  const float beta = static_cast<float>(args.number(9));
  void* c = args.pointer(10);
  const int precision = matmulPrecisionArg(args, 11);
  if (dtype != kFloat32 && dtype != kFloat16) fail("ERR_PUZZLE_ARGS", "gemm needs float32 or float16");
  if (m == 0 || n == 0) return undefinedValue(args.env());
  if (k == 0) {
    scaleOnly(dtype, c, static_cast<int64_t>(m) * n, beta);
    return undefinedValue(args.env());
  }
  // Row lengths of the stored row-major matrices are their column-major leading dimensions.
  const int lda = transA ? m : k;
  const int ldb = transB ? k : n;
  const int storage = dtype == kFloat16 ? kCudaR16F : kCudaR32F;
  const int compute = cublasComputeType(dtype, precision);
  const int status = s.blasApi->gemmEx(s.blas, transB ? kCublasOpT : kCublasOpN, transA ? kCublasOpT : kCublasOpN, n, m,
                                       k, &alpha, b, storage, ldb, a, storage, lda, &beta, c, storage, n, compute,
                                       kCublasGemmDefault);
  checkCublas(*s.blasApi, status, "cublasGemmEx");
  return undefinedValue(args.env());
}

}  // namespace

void registerBlasEntries(napi_env env, napi_value exports) { defineFunction(env, exports, "gemm", entry<gemm>); }

}  // namespace puzzle
