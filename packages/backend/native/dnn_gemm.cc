// cuBLAS is column-major: a row-major matrix read column-major is its transpose, so the row-major product
// C = op(A)·op(B) is computed as the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ (swap the operands, keep each one's flag),
// exactly as blas_entries.cc does for the single gemm.
#include "dnn_gemm.h"

#include <climits>
#include <string>

#include "cublas_api.h"
#include "matmul_precision.h"
#include "napi_args.h"
#include "op_codes.h"

namespace puzzle {

namespace {

// Some cuBLAS versions limit the batch count of one call to the grid's y/z extent; larger batches are split.
constexpr int64_t kMaxBatchPerCall = 65535;

int dimension(int64_t value, const char* op, const char* what) {
  if (value < 0 || value > INT_MAX) fail("ERR_PUZZLE_GEMM", std::string(op) + ": gemm " + what + " exceeds 2^31 - 1");
  return static_cast<int>(value);
}

}  // namespace

void runBatchedGemm(const DeviceState& s, const char* op, int dtype, bool floatResult, int precision,
                    const BatchedGemm& g) {
  if (!s.blasApi->gemmStridedBatchedEx) {
    fail("ERR_PUZZLE_CUBLAS", std::string(op) + ": " + s.blasApi->libraryName + " lacks cublasGemmStridedBatchedEx");
  }
  const int m = dimension(g.m, op, "m");
  const int n = dimension(g.n, op, "n");
  const int k = dimension(g.k, op, "k");
  if (m == 0 || n == 0 || g.batch == 0) return;
  const int storage = dtype == kFloat16 ? kCudaR16F : kCudaR32F;
  const int resultType = floatResult ? kCudaR32F : storage;
  const int itemBytes = dtype == kFloat16 ? 2 : 4;
  const int resultBytes = floatResult ? 4 : itemBytes;
  const int compute = cublasComputeType(dtype, precision);
  const int lda = g.transA ? m : k;
  const int ldb = g.transB ? k : n;
  for (int64_t start = 0; start < g.batch; start += kMaxBatchPerCall) {
    const int64_t count = g.batch - start < kMaxBatchPerCall ? g.batch - start : kMaxBatchPerCall;
    const int status = s.blasApi->gemmStridedBatchedEx(
        s.blas, g.transB ? kCublasOpT : kCublasOpN, g.transA ? kCublasOpT : kCublasOpN, n, m, k, &g.alpha,
        advance(g.b, start * g.strideB, itemBytes), storage, ldb, g.strideB, advance(g.a, start * g.strideA, itemBytes),
        storage, lda, g.strideA, &g.beta, advance(g.c, start * g.strideC, resultBytes), resultType, n, g.strideC,
        static_cast<int>(count), compute, kCublasGemmDefault);
    checkCublas(*s.blasApi, status, "cublasGemmStridedBatchedEx");
  }
}

}  // namespace puzzle
