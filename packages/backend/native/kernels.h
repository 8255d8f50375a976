// Host-callable launchers of the CUDA kernels (kernels/*.cu). They enqueue on the legacy default stream, never
// synchronise, and return the launch status (cudaGetLastError) so the Node-API layer can turn it into an exception.
#pragma once
#include <cuda_runtime_api.h>

#include <cstdint>

#include "strided_layout.h"

namespace puzzle {

cudaError_t launchActivation(int fn, int dtype, void* out, const void* x, int64_t n, float a, float b);
/** `y` is the forward output, except for gelu where it is the forward input. */
cudaError_t launchActivationGrad(int fn, int dtype, void* out, const void* grad, const void* y, int64_t n, float a,
                                 float b);

struct ArithmeticArgs {
  void* out;
  const void* x;
  const void* y;  // for dropout: the float32 uniform draws
  int64_t n;
  float a;
  float b;
  int64_t mapsize;  // dropout only: elements sharing one draw
};
cudaError_t launchArithmetic(int kind, int dtype, const ArithmeticArgs& args);

struct OptimizerArgs {
  void* param;
  const void* grad;
  void* state[3];  // in the order of the rule's fields (see optimizers.cu)
  int64_t n;
  float hyper[4];  // the rule's numbers in order (see optimizers.cu)
};
cudaError_t launchOptimizer(int kind, int dtype, const OptimizerArgs& args);

/** Whole-array reduction into `result[0]` (device), through `partials` (kReducePartials doubles on the device). */
constexpr int kReducePartials = 1024;
cudaError_t launchReduce(int kind, int dtype, const void* x, const void* y, int64_t n, double* partials,
                         double* result);
/** a is (rows, cols); alongCols sums over rows (one value per column), else over cols. */
cudaError_t launchSumOnMatrix(int dtype, const void* a, void* out, int64_t rows, int64_t cols, bool alongCols,
                              float alpha, float beta);
cudaError_t launchAddVecToMat(int dtype, const void* vec, const void* mat, void* out, int axis, int64_t batch,
                              int64_t n, int64_t m, int64_t vecLen);
cudaError_t launchArgmax(int dtype, const void* x, int32_t* out, int64_t outer, int64_t len, int64_t inner);

cudaError_t launchStridedCopy(int itemBytes, void* dst, const void* src, const StridedLayout& layout);
cudaError_t launchFill(int itemBytes, void* dst, int64_t n, uint32_t bits);
cudaError_t launchCast(int dstDtype, void* dst, int srcDtype, const void* src, int64_t n);
cudaError_t launchFillRandom(int dist, float* out, int64_t n, float a, float b, uint64_t seed);
/** count[0] += the number of NaN and ±Inf values of the float array x (atomic: no host wait). */
cudaError_t launchCountNonFinite(int dtype, const void* x, int64_t n, int32_t* count);

}  // namespace puzzle
