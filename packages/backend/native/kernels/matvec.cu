// Matrix-vector kernels of spec §1.6: addVecToMat over (batch, n, m) and argmax along the middle of (outer, len, inner).
#include <type_traits>

#include "../kernels.h"
#include "common.cuh"

namespace puzzle {
namespace {

/** axis 1: out[b,i,j] = mat[b,i,j] + vec[b, j % vecLen]; axis 0: out[b,i,j] = mat[b,i,j] + vec[b, i]. */
template <typename T>
__global__ void addVecToMatKernel(const T* vec, const T* mat, T* out, int axis, int64_t n, int64_t m, int64_t vecLen,
                                  int64_t total) {
  for (int64_t idx = firstIndex(); idx < total; idx += gridStride()) {
    const int64_t j = idx % m;
    const int64_t rest = idx / m;
    const int64_t i = rest % n;
    const int64_t b = rest / n;
    const float v = axis == 1 ? load(vec, b * vecLen + j % vecLen) : load(vec, b * n + i);
    store(out, idx, load(mat, idx) + v);
  }
}

/** One thread per output, walking `len` with stride `inner`: coalesced across neighbouring outputs. */
template <typename T>
__global__ void argmaxStridedKernel(const T* x, int32_t* out, int64_t outer, int64_t len, int64_t inner) {
  const int64_t total = outer * inner;
  for (int64_t idx = firstIndex(); idx < total; idx += gridStride()) {
    const int64_t o = idx / inner;
    const int64_t k = idx % inner;
    const T* base = x + o * len * inner + k;
    float best = load(base, 0);
    int64_t bestIndex = 0;
    for (int64_t l = 1; l < len; l++) {
      const float v = load(base, l * inner);
      if (v > best) {  // strict: the first maximum wins ties
        best = v;
        bestIndex = l;
      }
    }
    out[idx] = static_cast<int32_t>(bestIndex);
  }
}

/** inner == 1: one warp per row, each lane scanning a strided share, then a shuffle reduction preferring low indices. */
template <typename T>
__global__ void argmaxRowsKernel(const T* x, int32_t* out, int64_t rows, int64_t len) {
  const int64_t row = blockIdx.x * (static_cast<int64_t>(blockDim.x) >> 5) + (threadIdx.x >> 5);
  const int lane = threadIdx.x & 31;
  if (row >= rows) return;
  const T* base = x + row * len;
  float best = -INFINITY;
  int64_t bestIndex = len;  // larger than any real index: loses every tie
  for (int64_t l = lane; l < len; l += 32) {
    const float v = load(base, l);
    if (bestIndex == len || v > best) {  // lanes scan upwards, so strict > keeps the lane's first maximum
      best = v;
      bestIndex = l;
    }
  }
  for (int offset = 16; offset > 0; offset >>= 1) {
    const float otherBest = __shfl_down_sync(0xffffffffu, best, offset);
    const int64_t otherIndex = __shfl_down_sync(0xffffffffu, bestIndex, offset);
    if (otherBest > best || (otherBest == best && otherIndex < bestIndex)) {
      best = otherBest;
      bestIndex = otherIndex;
    }
  }
  if (lane == 0) out[row] = static_cast<int32_t>(bestIndex);
}

}  // namespace

cudaError_t launchAddVecToMat(int dtype, const void* vec, const void* mat, void* out, int axis, int64_t batch,
                              int64_t n, int64_t m, int64_t vecLen) {
  const int64_t total = batch * n * m;
  if (total == 0) return cudaSuccess;
  if (axis == 1 && vecLen < 1) return cudaErrorInvalidValue;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocksFor(total), kBlock, addVecToMatKernel<T>)(static_cast<const T*>(vec), static_cast<const T*>(mat),
                                                        static_cast<T*>(out), axis, n, m, vecLen, total);
    return cudaGetLastError();
  });
}

cudaError_t launchArgmax(int dtype, const void* x, int32_t* out, int64_t outer, int64_t len, int64_t inner) {
  if (outer * inner == 0) return cudaSuccess;
  if (len < 1) return cudaErrorInvalidValue;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    const T* src = static_cast<const T*>(x);
    if (inner == 1 && len >= 64) {
      PUZZLE_LAUNCH(static_cast<unsigned>((outer + 7) / 8), 256, argmaxRowsKernel<T>)(src, out, outer, len);
    } else {
      PUZZLE_LAUNCH(blocksFor(outer * inner), kBlock, argmaxStridedKernel<T>)(src, out, outer, len, inner);
    }
    return cudaGetLastError();
  });
}

}  // namespace puzzle
