// Whole-array reductions (sum, min, max, l1, dot) accumulated in double, and matrix row/column sums in fp32.
#include <cmath>
#include <type_traits>

#include "../kernels.h"
#include "common.cuh"
#include "warp_reduce.cuh"

namespace puzzle {
namespace {

constexpr int kReduceBlock = 256;

struct SumOp {
  static __device__ double identity() { return 0.0; }
  static __device__ double combine(double a, double b) { return a + b; }
};
struct MinOp {
  static __device__ double identity() { return static_cast<double>(INFINITY); }
  static __device__ double combine(double a, double b) { return fmin(a, b); }
};
struct MaxOp {
  static __device__ double identity() { return -static_cast<double>(INFINITY); }
  static __device__ double combine(double a, double b) { return fmax(a, b); }
};

// How one element enters the reduction.
struct Plain {
  template <typename T>
  static __device__ double value(const T* x, const T*, int64_t i) { return load(x, i); }
};
struct Absolute {
  template <typename T>
  static __device__ double value(const T* x, const T*, int64_t i) { return fabsf(load(x, i)); }
};
struct Product {
  template <typename T>
  static __device__ double value(const T* x, const T* y, int64_t i) {
    return static_cast<double>(load(x, i)) * load(y, i);
  }
};

/** Reduces the block's values into thread 0's return value. blockDim.x must be a multiple of 32, at most 1024. */
template <typename Op>
__device__ double blockReduce(double v) {
  __shared__ double warpResults[32];
  for (int offset = 16; offset > 0; offset >>= 1) v = Op::combine(v, __shfl_down_sync(kFullMask, v, offset));
  const int lane = threadIdx.x & 31;
  const int warp = threadIdx.x >> 5;
  if (lane == 0) warpResults[warp] = v;
  __syncthreads();
  const unsigned warps = blockDim.x >> 5;
  v = threadIdx.x < warps ? warpResults[threadIdx.x] : Op::identity();
  if (warp == 0) {
    for (int offset = 16; offset > 0; offset >>= 1) v = Op::combine(v, __shfl_down_sync(kFullMask, v, offset));
  }
  return v;
}

template <typename T, typename Op, typename Element>
__global__ void partialsKernel(const T* x, const T* y, int64_t n, double* partials) {
  double acc = Op::identity();
  for (int64_t i = firstIndex(); i < n; i += gridStride()) acc = Op::combine(acc, Element::value(x, y, i));
  acc = blockReduce<Op>(acc);
  if (threadIdx.x == 0) partials[blockIdx.x] = acc;
}

template <typename Op>
__global__ void finishKernel(const double* partials, int count, double* result) {
  double acc = Op::identity();
  for (int i = threadIdx.x; i < count; i += blockDim.x) acc = Op::combine(acc, partials[i]);
  acc = blockReduce<Op>(acc);
  if (threadIdx.x == 0) result[0] = acc;
}

template <typename Op, typename Element>
cudaError_t reduceWith(int dtype, const void* x, const void* y, int64_t n, double* partials, double* result) {
  int64_t wanted = (n + kReduceBlock * 4 - 1) / (kReduceBlock * 4);
  const int blocks = static_cast<int>(wanted < 1 ? 1 : (wanted > kReducePartials ? kReducePartials : wanted));
  cudaError_t status = withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocks, kReduceBlock, partialsKernel<T, Op, Element>)(static_cast<const T*>(x), static_cast<const T*>(y), n, partials);
    return cudaGetLastError();
  });
  if (status != cudaSuccess) return status;
  PUZZLE_LAUNCH(1, 1024, finishKernel<Op>)(partials, blocks, result);
  return cudaGetLastError();
}

/** Column sums: threads along x own columns (coalesced), threads along y split the rows, then shared memory. */
template <typename T>
__global__ void columnSumKernel(const T* a, T* out, int64_t rows, int64_t cols, float alpha, float beta) {
  __shared__ float partial[8][33];
  const int64_t col = blockIdx.x * 32 + threadIdx.x;
  float acc = 0.f;
  if (col < cols) {
    for (int64_t r = threadIdx.y; r < rows; r += 8) acc += load(a, r * cols + col);
  }
  partial[threadIdx.y][threadIdx.x] = acc;
  __syncthreads();
  if (threadIdx.y == 0 && col < cols) {
    float sum = 0.f;
    for (int k = 0; k < 8; k++) sum += partial[k][threadIdx.x];
    // beta = 0 ignores out's previous contents (they may be uninitialised NaNs).
    store(out, col, beta == 0.f ? alpha * sum : alpha * sum + beta * load(out, col));
  }
}

/** Row sums: one warp per row. */
template <typename T>
__global__ void rowSumKernel(const T* a, T* out, int64_t rows, int64_t cols, float alpha, float beta) {
  const int64_t row = blockIdx.x * (static_cast<int64_t>(blockDim.x) >> 5) + (threadIdx.x >> 5);
  const int lane = threadIdx.x & 31;
  if (row >= rows) return;
  float acc = 0.f;
  for (int64_t c = lane; c < cols; c += 32) acc += load(a, row * cols + c);
  for (int offset = 16; offset > 0; offset >>= 1) acc += __shfl_down_sync(kFullMask, acc, offset);
  if (lane == 0) store(out, row, beta == 0.f ? alpha * acc : alpha * acc + beta * load(out, row));
}

}  // namespace

cudaError_t launchReduce(int kind, int dtype, const void* x, const void* y, int64_t n, double* partials,
                         double* result) {
  switch (kind) {
    case kSum: return reduceWith<SumOp, Plain>(dtype, x, y, n, partials, result);
    case kMin: return reduceWith<MinOp, Plain>(dtype, x, y, n, partials, result);
    case kMax: return reduceWith<MaxOp, Plain>(dtype, x, y, n, partials, result);
    case kL1: return reduceWith<SumOp, Absolute>(dtype, x, y, n, partials, result);
    case kDot: return reduceWith<SumOp, Product>(dtype, x, y, n, partials, result);
    default: return cudaErrorInvalidValue;
  }
}

cudaError_t launchSumOnMatrix(int dtype, const void* a, void* out, int64_t rows, int64_t cols, bool alongCols,
                              float alpha, float beta) {
  const int64_t outLen = alongCols ? cols : rows;
  if (outLen == 0) return cudaSuccess;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    const T* src = static_cast<const T*>(a);
    T* dst = static_cast<T*>(out);
    if (alongCols) {
      const unsigned blocks = static_cast<unsigned>((cols + 31) / 32);
      PUZZLE_LAUNCH(blocks, dim3(32, 8), columnSumKernel<T>)(src, dst, rows, cols, alpha, beta);
    } else {
      const unsigned blocks = static_cast<unsigned>((rows + 7) / 8);
      PUZZLE_LAUNCH(blocks, 256, rowSumKernel<T>)(src, dst, rows, cols, alpha, beta);
    }
    return cudaGetLastError();
  });
}

}  // namespace puzzle
