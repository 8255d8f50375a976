// Per-channel helpers over (n, c, s) arrays: adding a bias, the per-channel sums of bias and PRelu-slope gradients,
// and blending a fresh float32 result into an accumulated gradient.
#include <type_traits>

#include "../dnn_kernels.h"
#include "dnn_common.cuh"

namespace puzzle {
namespace {

template <typename T>
__global__ void addChannelBiasKernel(T* out, const T* bias, int64_t total, int64_t c, int64_t s) {
  for (int64_t i = firstIndex(); i < total; i += gridStride()) {
    const int64_t channel = (i / s) % c;
    store(out, i, load(out, i) + load(bias, channel));
  }
}

/** What one element contributes to its channel's sum. */
struct Plain {
  template <typename T>
  static __device__ float value(const T* x, const T*, int64_t i) { return load(x, i); }
};
/** The PRelu slope gradient: x·g where x ≤ 0. */
struct NegativePart {
  template <typename T>
  static __device__ float value(const T* x, const T* g, int64_t i) {
    const float v = load(x, i);
    return v <= 0.f ? v * load(g, i) : 0.f;
  }
};

/** One block per channel; the sum over n and s is accumulated in double, in a fixed order (deterministic). */
template <typename T, typename Element>
__global__ void channelSumsKernel(const T* x, const T* g, T* out, int64_t n, int64_t c, int64_t s, float alpha,
                                  float beta) {
  const int64_t channel = blockIdx.x;
  const int64_t count = n * s;
  double acc = 0.0;
  for (int64_t j = threadIdx.x; j < count; j += blockDim.x) {
    const int64_t sample = j / s;
    acc += Element::value(x, g, channelIndex(sample, channel, j - sample * s, c, s));
  }
  const double sum = blockSum(acc);
  if (threadIdx.x == 0) {
    const float fresh = alpha * static_cast<float>(sum);
    store(out, channel, beta == 0.f ? fresh : fresh + beta * load(out, channel));
  }
}

template <typename T>
__global__ void blendKernel(T* out, const float* fresh, int64_t count, float alpha, float beta) {
  for (int64_t i = firstIndex(); i < count; i += gridStride()) {
    const float part = fresh ? alpha * fresh[i] : 0.f;
    store(out, i, beta == 0.f ? part : part + beta * load(out, i));
  }
}

template <typename Element>
cudaError_t channelSums(int dtype, const void* x, const void* g, void* out, int64_t n, int64_t c, int64_t s,
                        float alpha, float beta) {
  if (c == 0) return cudaSuccess;
  if (c > 2147483647) return cudaErrorInvalidValue;  // one block per channel
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(static_cast<unsigned>(c), reductionThreads(n * s), channelSumsKernel<T, Element>)(
        static_cast<const T*>(x), static_cast<const T*>(g), static_cast<T*>(out), n, c, s, alpha, beta);
    return cudaGetLastError();
  });
}

}  // namespace

cudaError_t launchAddChannelBias(int dtype, void* out, const void* bias, int64_t n, int64_t c, int64_t s) {
  const int64_t total = n * c * s;
  if (total == 0) return cudaSuccess;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocksFor(total), kBlock, addChannelBiasKernel<T>)(static_cast<T*>(out), static_cast<const T*>(bias), total, c, s);
    return cudaGetLastError();
  });
}

cudaError_t launchChannelSums(int dtype, const void* x, void* out, int64_t n, int64_t c, int64_t s, float alpha,
                              float beta) {
  return channelSums<Plain>(dtype, x, nullptr, out, n, c, s, alpha, beta);
}

cudaError_t launchNegativePartSums(int dtype, const void* x, const void* g, void* out, int64_t n, int64_t c,
                                   int64_t s, float alpha, float beta) {
  return channelSums<NegativePart>(dtype, x, g, out, n, c, s, alpha, beta);
}

cudaError_t launchBlend(int dtype, void* out, const float* fresh, int64_t count, float alpha, float beta) {
  if (count == 0) return cudaSuccess;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocksFor(count), kBlock, blendKernel<T>)(static_cast<T*>(out), fresh, count, alpha, beta);
    return cudaGetLastError();
  });
}

}  // namespace puzzle
