// Parametric ReLU over (n, c, s) arrays with one slope per channel, or one slope shared by every channel.
// The negative side is x ≤ 0, as in the tfjs engine. The slope gradient is a per-channel sum:
// launchNegativePartSums in dnn_channels.cu.
#include <type_traits>

#include "../dnn_kernels.h"
#include "common.cuh"

namespace puzzle {
namespace {

template <typename T>
__device__ __forceinline__ float slopeAt(const T* slopes, int64_t i, int64_t c, int64_t s, bool shared) {
  return load(slopes, shared ? 0 : (i / s) % c);
}

template <typename T>
__global__ void preluKernel(const T* x, const T* slopes, T* out, int64_t total, int64_t c, int64_t s, bool shared) {
  for (int64_t i = firstIndex(); i < total; i += gridStride()) {
    const float v = load(x, i);
    store(out, i, v <= 0.f ? slopeAt(slopes, i, c, s, shared) * v : v);
  }
}

template <typename T>
__global__ void preluBackwardDataKernel(const T* grad, const T* slopes, const T* x, T* out, int64_t total, int64_t c,
                                        int64_t s, bool shared) {
  for (int64_t i = firstIndex(); i < total; i += gridStride()) {
    const float g = load(grad, i);
    store(out, i, load(x, i) <= 0.f ? slopeAt(slopes, i, c, s, shared) * g : g);
  }
}

}  // namespace

cudaError_t launchPrelu(int dtype, const void* x, const void* slopes, void* out, int64_t n, int64_t c, int64_t s,
                        bool shared) {
  const int64_t total = n * c * s;
  if (total == 0) return cudaSuccess;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocksFor(total), kBlock, preluKernel<T>)(static_cast<const T*>(x), static_cast<const T*>(slopes),
                                                 static_cast<T*>(out), total, c, s, shared);
    return cudaGetLastError();
  });
}

cudaError_t launchPreluBackwardData(int dtype, const void* grad, const void* slopes, const void* x, void* out,
                                    int64_t n, int64_t c, int64_t s, bool shared) {
  const int64_t total = n * c * s;
  if (total == 0) return cudaSuccess;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocksFor(total), kBlock, preluBackwardDataKernel<T>)(static_cast<const T*>(grad), static_cast<const T*>(slopes),
                                                             static_cast<const T*>(x), static_cast<T*>(out), total, c,
                                                             s, shared);
    return cudaGetLastError();
  });
}

}  // namespace puzzle
