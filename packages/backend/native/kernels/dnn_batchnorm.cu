// Batch normalisation over (n, c, s) arrays, statistics per channel over n and s. Train mode and the backward pass
// run one block per channel: the block reduces its channel (two passes, mean then squared deviations, accumulated in
// double), then normalises it, so `out` may be `x` itself: every element is read by the statistics passes before
// the block writes any (blockSum synchronises), and other blocks touch other channels only.
#include <cmath>
#include <type_traits>

#include "../dnn_kernels.h"
#include "dnn_common.cuh"

namespace puzzle {
namespace {

template <typename T>
__global__ void batchNormTrainKernel(const T* x, T* out, BatchNormArgs a) {
  const int64_t channel = blockIdx.x;
  const int64_t count = a.n * a.s;
  auto at = [&](int64_t j) {
    const int64_t sample = j / a.s;
    return channelIndex(sample, channel, j - sample * a.s, a.c, a.s);
  };

  double sum = 0.0;
  for (int64_t j = threadIdx.x; j < count; j += blockDim.x) sum += load(x, at(j));
  const double mean = blockSum(sum) / static_cast<double>(count);

  double squares = 0.0;
  for (int64_t j = threadIdx.x; j < count; j += blockDim.x) {
    const double d = load(x, at(j)) - mean;
    squares += d * d;
  }
  const double variance = blockSum(squares) / static_cast<double>(count);  // biased: the one we normalise with

  const float meanF = static_cast<float>(mean);
  const float invstd = static_cast<float>(1.0 / sqrt(variance + static_cast<double>(a.epsilon)));
  if (threadIdx.x == 0) {
    a.savemean[channel] = meanF;
    a.saveinvvar[channel] = invstd;
    // The running variance takes the unbiased estimate (cuDNN's convention).
    const double unbiased = variance * static_cast<double>(count) / static_cast<double>(count > 1 ? count - 1 : 1);
    const double keep = 1.0 - static_cast<double>(a.factor);
    a.mean[channel] = static_cast<float>(keep * a.mean[channel] + a.factor * mean);
    a.var[channel] = static_cast<float>(keep * a.var[channel] + a.factor * unbiased);
  }

  const float gain = a.scale[channel] * invstd;
  const float shift = a.bias[channel];
  for (int64_t j = threadIdx.x; j < count; j += blockDim.x) {
    const int64_t i = at(j);
    store(out, i, (load(x, i) - meanF) * gain + shift);
  }
}

/** Test mode: elementwise with the running statistics. */
template <typename T>
__global__ void batchNormTestKernel(const T* x, T* out, BatchNormArgs a, int64_t total) {
  for (int64_t i = firstIndex(); i < total; i += gridStride()) {
    const int64_t channel = (i / a.s) % a.c;
    const float invstd = rsqrtf(a.var[channel] + a.epsilon);
    store(out, i, (load(x, i) - a.mean[channel]) * invstd * a.scale[channel] + a.bias[channel]);
  }
}

/**
 * biasgrad = Σg, scalegrad = Σ g·x̂, then ingrad = scale·invstd/M·(M·g − Σg − x̂·Σ g·x̂) with M = n·s,
 * all from the saved batch statistics.
 */
template <typename T>
__global__ void batchNormBackwardKernel(const T* x, const T* grad, T* ingrad, BatchNormGradArgs a) {
  const int64_t channel = blockIdx.x;
  const int64_t count = a.n * a.s;
  auto at = [&](int64_t j) {
    const int64_t sample = j / a.s;
    return channelIndex(sample, channel, j - sample * a.s, a.c, a.s);
  };
  const float mean = a.savemean[channel];
  const float invstd = a.saveinvvar[channel];

  double gsum = 0.0;
  double gxhat = 0.0;
  for (int64_t j = threadIdx.x; j < count; j += blockDim.x) {
    const int64_t i = at(j);
    const float g = load(grad, i);
    gsum += g;
    gxhat += g * ((load(x, i) - mean) * invstd);
  }
  const float biasgrad = static_cast<float>(blockSum(gsum));
  const float scalegrad = static_cast<float>(blockSum(gxhat));
  if (threadIdx.x == 0) {
    a.biasgrad[channel] = biasgrad;
    a.scalegrad[channel] = scalegrad;
  }

  const float m = static_cast<float>(count);
  const float factor = a.scale[channel] * invstd / m;
  for (int64_t j = threadIdx.x; j < count; j += blockDim.x) {
    const int64_t i = at(j);
    const float xhat = (load(x, i) - mean) * invstd;
    store(ingrad, i, factor * (m * load(grad, i) - biasgrad - xhat * scalegrad));
  }
}

bool tooManyChannels(int64_t c) { return c > 2147483647; }

}  // namespace

cudaError_t launchBatchNormTrain(int dtype, const BatchNormArgs& a) {
  // No values: no statistics to take, nothing to normalise; the running stats stay as they are.
  if (a.c == 0 || a.n * a.s == 0) return cudaSuccess;
  if (tooManyChannels(a.c)) return cudaErrorInvalidValue;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(static_cast<unsigned>(a.c), reductionThreads(a.n * a.s), batchNormTrainKernel<T>)(
        static_cast<const T*>(a.x), static_cast<T*>(a.out), a);
    return cudaGetLastError();
  });
}

cudaError_t launchBatchNormTest(int dtype, const BatchNormArgs& a) {
  const int64_t total = a.n * a.c * a.s;
  if (total == 0) return cudaSuccess;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocksFor(total), kBlock, batchNormTestKernel<T>)(static_cast<const T*>(a.x), static_cast<T*>(a.out), a, total);
    return cudaGetLastError();
  });
}

cudaError_t launchBatchNormBackward(int dtype, const BatchNormGradArgs& a) {
  if (a.c == 0 || a.n * a.s == 0) return cudaSuccess;
  if (tooManyChannels(a.c)) return cudaErrorInvalidValue;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(static_cast<unsigned>(a.c), reductionThreads(a.n * a.s), batchNormBackwardKernel<T>)(
        static_cast<const T*>(a.x), static_cast<const T*>(a.grad), static_cast<T*>(a.ingrad), a);
    return cudaGetLastError();
  });
}

}  // namespace puzzle
