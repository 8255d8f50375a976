// Integer-factor upsampling of up to 3 trailing axes: nearest (block replication) and linear (align corners: output
// cell o reads the source position o·(in − 1)/(out − 1), between its floor and the next cell, clamped to the last).
// The source position is computed in exact integer arithmetic, so the forward and the backward agree on every tap.
// The backward is a gather: each input cell sums, over the output cells whose taps include it, grad · tap weight.
#include <type_traits>

#include "../dnn_kernels.h"
#include "../op_codes.h"
#include "common.cuh"

namespace puzzle {
namespace {

/** The (at most) two input cells output cell `o` reads along one axis, with their weights. */
struct Taps {
  int64_t lo;
  int64_t hi;
  float wlo;
  float whi;
};

__device__ __forceinline__ Taps tapsOf(int mode, int64_t len, int64_t scale, int64_t o) {
  if (mode == kUpsampleNearest) return Taps{o / scale, o / scale, 1.f, 0.f};
  const int64_t outLen = len * scale;
  if (len <= 1 || outLen <= 1) return Taps{0, 0, 1.f, 0.f};
  const int64_t num = o * (len - 1);
  const int64_t den = outLen - 1;
  const int64_t lo = num / den;
  const float frac = static_cast<float>(num % den) / static_cast<float>(den);
  return Taps{lo, lo + 1 < len ? lo + 1 : len - 1, 1.f - frac, frac};
}

/** The weight with which output cell o reads input cell i (both taps may be the same cell). */
__device__ __forceinline__ float weightOf(int mode, int64_t len, int64_t scale, int64_t o, int64_t i) {
  const Taps t = tapsOf(mode, len, scale, o);
  return (t.lo == i ? t.wlo : 0.f) + (t.hi == i ? t.whi : 0.f);
}

/** A range of output cells along one axis that includes every cell reading input cell i (possibly more). */
__device__ __forceinline__ void readersOf(int mode, int64_t len, int64_t scale, int64_t i, int64_t* first,
                                          int64_t* last) {
  const int64_t outLen = len * scale;
  if (mode == kUpsampleNearest) {
    *first = i * scale;
    *last = i * scale + scale - 1;
    return;
  }
  if (len <= 1) {
    *first = 0;
    *last = outLen - 1;
    return;
  }
  // lo(o) = ⌊o(len−1)/(outLen−1)⌋ grows with o; the readers of i have lo(o) ∈ {i − 1, i}.
  const int64_t den = outLen - 1;
  *first = i == 0 ? 0 : (i - 1) * den / (len - 1);
  const int64_t end = (i + 1) * den / (len - 1);
  *last = end < outLen - 1 ? end : outLen - 1;
}

template <typename T>
__global__ void upsampleKernel(int mode, const T* x, T* out, UpsampleShape s, int64_t total) {
  const int64_t n1 = s.in[1] * s.scale[1];
  const int64_t n2 = s.in[2] * s.scale[2];
  const int64_t outVolume = s.in[0] * s.scale[0] * n1 * n2;
  const int64_t inVolume = volumeOf(s.in);
  for (int64_t idx = firstIndex(); idx < total; idx += gridStride()) {
    const int64_t o2 = idx % n2;
    const int64_t o1 = (idx / n2) % n1;
    const int64_t o0 = (idx / (n2 * n1)) % (s.in[0] * s.scale[0]);
    const T* block = x + (idx / outVolume) * inVolume;
    const Taps t0 = tapsOf(mode, s.in[0], s.scale[0], o0);
    const Taps t1 = tapsOf(mode, s.in[1], s.scale[1], o1);
    const Taps t2 = tapsOf(mode, s.in[2], s.scale[2], o2);
    const int64_t c0[2] = {t0.lo, t0.hi};
    const int64_t c1[2] = {t1.lo, t1.hi};
    const int64_t c2[2] = {t2.lo, t2.hi};
    const float w0[2] = {t0.wlo, t0.whi};
    const float w1[2] = {t1.wlo, t1.whi};
    const float w2[2] = {t2.wlo, t2.whi};
    float acc = 0.f;
    // Zero-weight taps are skipped, so an infinite neighbour cannot turn into NaN through 0·∞.
    for (int a = 0; a < 2; a++) {
      if (w0[a] == 0.f) continue;
      for (int b = 0; b < 2; b++) {
        if (w1[b] == 0.f) continue;
        for (int c = 0; c < 2; c++) {
          if (w2[c] == 0.f) continue;
          acc += w0[a] * w1[b] * w2[c] * load(block, (c0[a] * s.in[1] + c1[b]) * s.in[2] + c2[c]);
        }
      }
    }
    store(out, idx, acc);
  }
}

template <typename T>
__global__ void upsampleBackwardKernel(int mode, const T* grad, T* out, UpsampleShape s, int64_t total) {
  const int64_t n1 = s.in[1] * s.scale[1];
  const int64_t n2 = s.in[2] * s.scale[2];
  const int64_t gradVolume = s.in[0] * s.scale[0] * n1 * n2;
  const int64_t inVolume = volumeOf(s.in);
  for (int64_t idx = firstIndex(); idx < total; idx += gridStride()) {
    const int64_t i2 = idx % s.in[2];
    const int64_t i1 = (idx / s.in[2]) % s.in[1];
    const int64_t i0 = (idx / (s.in[2] * s.in[1])) % s.in[0];
    const T* block = grad + (idx / inVolume) * gradVolume;
    int64_t f0, l0, f1, l1, f2, l2;
    readersOf(mode, s.in[0], s.scale[0], i0, &f0, &l0);
    readersOf(mode, s.in[1], s.scale[1], i1, &f1, &l1);
    readersOf(mode, s.in[2], s.scale[2], i2, &f2, &l2);
    float acc = 0.f;
    for (int64_t o0 = f0; o0 <= l0; o0++) {
      const float w0 = weightOf(mode, s.in[0], s.scale[0], o0, i0);
      if (w0 == 0.f) continue;
      for (int64_t o1 = f1; o1 <= l1; o1++) {
        const float w1 = weightOf(mode, s.in[1], s.scale[1], o1, i1);
        if (w1 == 0.f) continue;
        for (int64_t o2 = f2; o2 <= l2; o2++) {
          const float w2 = weightOf(mode, s.in[2], s.scale[2], o2, i2);
          if (w2 == 0.f) continue;
          acc += w0 * w1 * w2 * load(block, (o0 * n1 + o1) * n2 + o2);
        }
      }
    }
    store(out, idx, acc);
  }
}

}  // namespace

cudaError_t launchUpsample(int mode, int dtype, const void* x, void* out, const UpsampleShape& s) {
  if (mode >= kUpsampleModeCount) return cudaErrorInvalidValue;
  const int64_t total = s.outer * volumeOf(s.in) * volumeOf(s.scale);
  if (total == 0) return cudaSuccess;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocksFor(total), kBlock, upsampleKernel<T>)(mode, static_cast<const T*>(x), static_cast<T*>(out), s, total);
    return cudaGetLastError();
  });
}

cudaError_t launchUpsampleBackward(int mode, int dtype, const void* grad, void* out, const UpsampleShape& s) {
  if (mode >= kUpsampleModeCount) return cudaErrorInvalidValue;
  const int64_t total = s.outer * volumeOf(s.in);
  if (total == 0) return cudaSuccess;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocksFor(total), kBlock, upsampleBackwardKernel<T>)(mode, static_cast<const T*>(grad), static_cast<T*>(out), s,
                                                            total);
    return cudaGetLastError();
  });
}

}  // namespace puzzle
