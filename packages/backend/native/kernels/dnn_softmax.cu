// Softmax over c of (n, c, s) arrays, shifted by the maximum so exp cannot overflow, and its backward
// y·(g − Σ_c y·g). Two layouts: with s = 1 each row is contiguous and one warp reduces it; otherwise each thread
// owns one (n, position) column, whose consecutive positions neighbouring threads read (coalesced).
#include <cmath>
#include <type_traits>

#include "../dnn_kernels.h"
#include "common.cuh"
#include "warp_reduce.cuh"

namespace puzzle {
namespace {

/** One warp per row of c contiguous values. A whole warp leaves together, so the shuffles see full warps. */
template <typename T>
__global__ void softmaxRowsKernel(const T* x, T* y, int64_t rows, int64_t c) {
  const int64_t row = blockIdx.x * static_cast<int64_t>(kWarpsPerBlock) + (threadIdx.x >> 5);
  const int lane = threadIdx.x & 31;
  if (row >= rows) return;
  const T* in = x + row * c;
  T* out = y + row * c;
  float top = -INFINITY;
  for (int64_t j = lane; j < c; j += 32) top = fmaxf(top, load(in, j));
  top = warpMaxAll(top);
  float sum = 0.f;
  for (int64_t j = lane; j < c; j += 32) sum += expf(load(in, j) - top);
  sum = warpSumAll(sum);
  for (int64_t j = lane; j < c; j += 32) store(out, j, expf(load(in, j) - top) / sum);
}

template <typename T>
__global__ void softmaxRowsBackwardKernel(const T* y, const T* g, T* out, int64_t rows, int64_t c) {
  const int64_t row = blockIdx.x * static_cast<int64_t>(kWarpsPerBlock) + (threadIdx.x >> 5);
  const int lane = threadIdx.x & 31;
  if (row >= rows) return;
  const int64_t base = row * c;
  float dot = 0.f;
  for (int64_t j = lane; j < c; j += 32) dot += load(y, base + j) * load(g, base + j);
  dot = warpSumAll(dot);
  for (int64_t j = lane; j < c; j += 32) store(out, base + j, load(y, base + j) * (load(g, base + j) - dot));
}

/** One thread per (sample, position); the channel values are s apart. */
template <typename T>
__global__ void softmaxColumnsKernel(const T* x, T* y, int64_t n, int64_t c, int64_t s) {
  const int64_t total = n * s;
  for (int64_t idx = firstIndex(); idx < total; idx += gridStride()) {
    const int64_t sample = idx / s;
    const int64_t base = sample * c * s + (idx - sample * s);
    float top = -INFINITY;
    for (int64_t j = 0; j < c; j++) top = fmaxf(top, load(x, base + j * s));
    float sum = 0.f;
    for (int64_t j = 0; j < c; j++) sum += expf(load(x, base + j * s) - top);
    for (int64_t j = 0; j < c; j++) store(y, base + j * s, expf(load(x, base + j * s) - top) / sum);
  }
}

template <typename T>
__global__ void softmaxColumnsBackwardKernel(const T* y, const T* g, T* out, int64_t n, int64_t c, int64_t s) {
  const int64_t total = n * s;
  for (int64_t idx = firstIndex(); idx < total; idx += gridStride()) {
    const int64_t sample = idx / s;
    const int64_t base = sample * c * s + (idx - sample * s);
    float dot = 0.f;
    for (int64_t j = 0; j < c; j++) dot += load(y, base + j * s) * load(g, base + j * s);
    for (int64_t j = 0; j < c; j++) {
      const int64_t at = base + j * s;
      store(out, at, load(y, at) * (load(g, at) - dot));
    }
  }
}

unsigned rowBlocks(int64_t rows) { return static_cast<unsigned>((rows + kWarpsPerBlock - 1) / kWarpsPerBlock); }

bool tooManyRows(int64_t rows) { return (rows + kWarpsPerBlock - 1) / kWarpsPerBlock > 2147483647; }

}  // namespace

cudaError_t launchSoftmax(int dtype, const void* x, void* y, int64_t n, int64_t c, int64_t s) {
  if (n * c * s == 0) return cudaSuccess;
  if (s == 1 && tooManyRows(n)) return cudaErrorInvalidValue;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    const T* in = static_cast<const T*>(x);
    T* out = static_cast<T*>(y);
    if (s == 1) PUZZLE_LAUNCH(rowBlocks(n), kBlock, softmaxRowsKernel<T>)(in, out, n, c);
    else PUZZLE_LAUNCH(blocksFor(n * s), kBlock, softmaxColumnsKernel<T>)(in, out, n, c, s);
    return cudaGetLastError();
  });
}

cudaError_t launchSoftmaxBackward(int dtype, const void* y, const void* grad, void* out, int64_t n, int64_t c,
                                  int64_t s) {
  if (n * c * s == 0) return cudaSuccess;
  if (s == 1 && tooManyRows(n)) return cudaErrorInvalidValue;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    const T* yt = static_cast<const T*>(y);
    const T* gt = static_cast<const T*>(grad);
    T* o = static_cast<T*>(out);
    if (s == 1) PUZZLE_LAUNCH(rowBlocks(n), kBlock, softmaxRowsBackwardKernel<T>)(yt, gt, o, n, c);
    else PUZZLE_LAUNCH(blocksFor(n * s), kBlock, softmaxColumnsBackwardKernel<T>)(yt, gt, o, n, c, s);
    return cudaGetLastError();
  });
}

}  // namespace puzzle
