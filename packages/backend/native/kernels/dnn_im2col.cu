// im2col and its adjoint col2im for grouped, strided, padded, dilated convolutions over 3 spatial axes.
// col2im is a gather (each input cell sums the column entries that read it, in a fixed order): no atomics, so the
// data gradient is deterministic.
#include <type_traits>

#include "../dnn_kernels.h"
#include "common.cuh"

namespace puzzle {
namespace {

/** The input coordinate that output coordinate `o` reads with tap `k` along `axis`; may fall outside [0, in). */
__device__ __forceinline__ int64_t inputCoord(const ConvShape& s, int axis, int64_t o, int64_t k) {
  return o * s.stride[axis] - s.pad[axis] + k * s.dilation[axis];
}

/** One thread per column entry: idx = ((sample·inMaps + c)·kvol + tap)·P + p. */
template <typename T>
__global__ void im2colKernel(const T* x, T* col, ConvShape s, int64_t first, int64_t total) {
  const int64_t outVolume = volumeOf(s.out);
  const int64_t kernelVolume = volumeOf(s.kernel);
  const int64_t inVolume = volumeOf(s.in);
  for (int64_t idx = firstIndex(); idx < total; idx += gridStride()) {
    const int64_t p = idx % outVolume;
    int64_t rest = idx / outVolume;
    const int64_t tap = rest % kernelVolume;
    rest /= kernelVolume;
    const int64_t c = rest % s.inMaps;
    const int64_t sample = first + rest / s.inMaps;

    const int64_t o2 = p % s.out[2];
    const int64_t o1 = (p / s.out[2]) % s.out[1];
    const int64_t o0 = p / (s.out[2] * s.out[1]);
    const int64_t k2 = tap % s.kernel[2];
    const int64_t k1 = (tap / s.kernel[2]) % s.kernel[1];
    const int64_t k0 = tap / (s.kernel[2] * s.kernel[1]);
    const int64_t i0 = inputCoord(s, 0, o0, k0);
    const int64_t i1 = inputCoord(s, 1, o1, k1);
    const int64_t i2 = inputCoord(s, 2, o2, k2);

    float v = 0.f;
    if (i0 >= 0 && i0 < s.in[0] && i1 >= 0 && i1 < s.in[1] && i2 >= 0 && i2 < s.in[2]) {
      v = load(x, (sample * s.inMaps + c) * inVolume + (i0 * s.in[1] + i1) * s.in[2] + i2);
    }
    store(col, idx, v);
  }
}

/**
 * The output coordinate whose tap `k` reads input coordinate `i` along `axis`, or −1 when none does:
 * o·stride = i + pad − k·dilation must hold with 0 ≤ o < out.
 */
__device__ __forceinline__ int64_t readerOf(const ConvShape& s, int axis, int64_t i, int64_t k) {
  const int64_t shifted = i + s.pad[axis] - k * s.dilation[axis];
  if (shifted < 0 || shifted % s.stride[axis] != 0) return -1;
  const int64_t o = shifted / s.stride[axis];
  return o < s.out[axis] ? o : -1;
}

/** One thread per input cell: idx = ((sample·inMaps + c)·in0 + i0)·in1·in2 + ... relative to `first`. */
template <typename T>
__global__ void col2imKernel(const T* col, T* dx, ConvShape s, int64_t first, int64_t total) {
  const int64_t outVolume = volumeOf(s.out);
  const int64_t kernelVolume = volumeOf(s.kernel);
  const int64_t inVolume = volumeOf(s.in);
  for (int64_t idx = firstIndex(); idx < total; idx += gridStride()) {
    const int64_t i2 = idx % s.in[2];
    const int64_t i1 = (idx / s.in[2]) % s.in[1];
    const int64_t i0 = (idx / (s.in[2] * s.in[1])) % s.in[0];
    const int64_t map = idx / inVolume;  // local sample · inMaps + c
    // The column rows of this (sample, input map): kernelVolume rows of outVolume entries.
    const int64_t rows = map * kernelVolume;
    float acc = 0.f;
    for (int64_t k0 = 0; k0 < s.kernel[0]; k0++) {
      const int64_t o0 = readerOf(s, 0, i0, k0);
      if (o0 < 0) continue;
      for (int64_t k1 = 0; k1 < s.kernel[1]; k1++) {
        const int64_t o1 = readerOf(s, 1, i1, k1);
        if (o1 < 0) continue;
        for (int64_t k2 = 0; k2 < s.kernel[2]; k2++) {
          const int64_t o2 = readerOf(s, 2, i2, k2);
          if (o2 < 0) continue;
          const int64_t tap = (k0 * s.kernel[1] + k1) * s.kernel[2] + k2;
          acc += load(col, (rows + tap) * outVolume + (o0 * s.out[1] + o1) * s.out[2] + o2);
        }
      }
    }
    store(dx, first * s.inMaps * inVolume + idx, acc);
  }
}

}  // namespace

cudaError_t launchIm2col(int dtype, const void* x, void* col, const ConvShape& s, int64_t first, int64_t samples) {
  const int64_t total = samples * s.inMaps * volumeOf(s.kernel) * volumeOf(s.out);
  if (total == 0) return cudaSuccess;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocksFor(total), kBlock, im2colKernel<T>)(static_cast<const T*>(x), static_cast<T*>(col), s, first, total);
    return cudaGetLastError();
  });
}

cudaError_t launchCol2im(int dtype, const void* col, void* dx, const ConvShape& s, int64_t first, int64_t samples) {
  const int64_t total = samples * s.inMaps * volumeOf(s.in);
  if (total == 0) return cudaSuccess;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocksFor(total), kBlock, col2imKernel<T>)(static_cast<const T*>(col), static_cast<T*>(dx), s, first, total);
    return cudaGetLastError();
  });
}

}  // namespace puzzle
