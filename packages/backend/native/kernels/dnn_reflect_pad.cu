// numpy 'reflect' padding (the edge cell is not repeated) of up to 3 trailing axes, and its adjoint. The adjoint is
// a gather: each input cell sums the padded cells that copied it (itself, plus at most one mirror per side per axis).
#include <type_traits>

#include "../dnn_kernels.h"
#include "common.cuh"

namespace puzzle {
namespace {

__device__ __forceinline__ int64_t paddedLength(const PadShape& s, int axis) {
  return s.in[axis] + s.before[axis] + s.after[axis];
}

/** The input cell padded cell `o` copies along `axis`: mirrored about the first and the last cell. */
__device__ __forceinline__ int64_t reflected(const PadShape& s, int axis, int64_t o) {
  int64_t i = o - s.before[axis];
  if (i < 0) i = -i;
  if (i >= s.in[axis]) i = 2 * (s.in[axis] - 1) - i;
  return i;
}

/**
 * The padded cells along `axis` that copy input cell i, written to `cells`; returns how many (1 to 3).
 * Padded cell before − i mirrors i for 1 ≤ i ≤ before; padded cell before + 2(len − 1) − i mirrors i for
 * len − 1 − after ≤ i ≤ len − 2; the interior cell is before + i.
 */
__device__ __forceinline__ int copiesOf(const PadShape& s, int axis, int64_t i, int64_t* cells) {
  const int64_t len = s.in[axis];
  int count = 0;
  cells[count++] = s.before[axis] + i;
  if (i >= 1 && i <= s.before[axis]) cells[count++] = s.before[axis] - i;
  if (i >= len - 1 - s.after[axis] && i <= len - 2) cells[count++] = s.before[axis] + 2 * (len - 1) - i;
  return count;
}

template <typename T>
__global__ void reflectPadKernel(const T* x, T* out, PadShape s, int64_t total) {
  const int64_t p1 = paddedLength(s, 1);
  const int64_t p2 = paddedLength(s, 2);
  const int64_t paddedVolume = paddedLength(s, 0) * p1 * p2;
  const int64_t inVolume = volumeOf(s.in);
  for (int64_t idx = firstIndex(); idx < total; idx += gridStride()) {
    const int64_t o2 = idx % p2;
    const int64_t o1 = (idx / p2) % p1;
    const int64_t o0 = (idx / (p2 * p1)) % paddedLength(s, 0);
    const int64_t block = idx / paddedVolume;
    const int64_t i0 = reflected(s, 0, o0);
    const int64_t i1 = reflected(s, 1, o1);
    const int64_t i2 = reflected(s, 2, o2);
    store(out, idx, load(x, block * inVolume + (i0 * s.in[1] + i1) * s.in[2] + i2));
  }
}

template <typename T>
__global__ void reflectPadBackwardKernel(const T* grad, T* out, PadShape s, int64_t total) {
  const int64_t p1 = paddedLength(s, 1);
  const int64_t p2 = paddedLength(s, 2);
  const int64_t paddedVolume = paddedLength(s, 0) * p1 * p2;
  const int64_t inVolume = volumeOf(s.in);
  for (int64_t idx = firstIndex(); idx < total; idx += gridStride()) {
    const int64_t i2 = idx % s.in[2];
    const int64_t i1 = (idx / s.in[2]) % s.in[1];
    const int64_t i0 = (idx / (s.in[2] * s.in[1])) % s.in[0];
    const T* block = grad + (idx / inVolume) * paddedVolume;
    int64_t c0[3], c1[3], c2[3];
    const int n0 = copiesOf(s, 0, i0, c0);
    const int n1 = copiesOf(s, 1, i1, c1);
    const int n2 = copiesOf(s, 2, i2, c2);
    float acc = 0.f;
    for (int a = 0; a < n0; a++)
      for (int b = 0; b < n1; b++)
        for (int c = 0; c < n2; c++) acc += load(block, (c0[a] * p1 + c1[b]) * p2 + c2[c]);
    store(out, idx, acc);
  }
}

}  // namespace

cudaError_t launchReflectPad(int dtype, const void* x, void* out, const PadShape& s) {
  int64_t total = s.outer;
  for (int a = 0; a < kDnnAxes; a++) total *= s.in[a] + s.before[a] + s.after[a];
  if (total == 0) return cudaSuccess;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocksFor(total), kBlock, reflectPadKernel<T>)(static_cast<const T*>(x), static_cast<T*>(out), s, total);
    return cudaGetLastError();
  });
}

cudaError_t launchReflectPadBackward(int dtype, const void* grad, void* out, const PadShape& s) {
  const int64_t total = s.outer * volumeOf(s.in);
  if (total == 0) return cudaSuccess;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocksFor(total), kBlock, reflectPadBackwardKernel<T>)(static_cast<const T*>(grad), static_cast<T*>(out), s,
                                                              total);
    return cudaGetLastError();
  });
}

}  // namespace puzzle
