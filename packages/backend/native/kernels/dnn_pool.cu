// Max and average pooling over 3 spatial axes, forward and backward. The backward passes are gathers: each input
// cell visits the windows that contain it, so no atomics are needed and the result is deterministic. Max backward
// re-derives each window's argmax from x with the forward's own scan, so the gradient goes to the FIRST maximum
// (row-major order within the window) exactly as the forward chose it.
#include <cmath>
#include <type_traits>

#include "../dnn_kernels.h"
#include "../op_codes.h"
#include "common.cuh"

namespace puzzle {
namespace {

/** The cells of one window along each axis: [begin, end) clipped to the input, and the unclipped start. */
struct Window {
  int64_t start[kDnnAxes];
  int64_t begin[kDnnAxes];
  int64_t end[kDnnAxes];
};

__device__ __forceinline__ Window windowOf(const PoolShape& s, const int64_t* o) {
  Window w;
  for (int a = 0; a < kDnnAxes; a++) {
    w.start[a] = o[a] * s.stride[a] - s.pad[a];
    w.begin[a] = w.start[a] < 0 ? 0 : w.start[a];
    const int64_t stop = w.start[a] + s.size[a];
    w.end[a] = stop < s.in[a] ? stop : s.in[a];
  }
  return w;
}

/** Splits a flat cell index within one map into coordinates along `dims`. */
__device__ __forceinline__ void coordsOf(int64_t flat, const int64_t* dims, int64_t* coord) {
  coord[2] = flat % dims[2];
  coord[1] = (flat / dims[2]) % dims[1];
  coord[0] = flat / (dims[2] * dims[1]);
}

/** Flat index within the map of the window's first maximum (strictly greater wins), or −1 if it has no real cell. */
template <typename T>
__device__ int64_t argmaxOf(const T* map, const PoolShape& s, const Window& w, float* best) {
  float top = -INFINITY;
  int64_t where = -1;
  for (int64_t i0 = w.begin[0]; i0 < w.end[0]; i0++) {
    for (int64_t i1 = w.begin[1]; i1 < w.end[1]; i1++) {
      for (int64_t i2 = w.begin[2]; i2 < w.end[2]; i2++) {
        const int64_t flat = (i0 * s.in[1] + i1) * s.in[2] + i2;
        const float v = load(map, flat);
        if (where < 0 || v > top) {
          top = v;
          where = flat;
        }
      }
    }
  }
  *best = top;
  return where;
}

/** The divisor of a window's average: its full size with pad, else the count of its real cells. */
__device__ __forceinline__ float divisorOf(int mode, const PoolShape& s, const Window& w) {
  if (mode == kPoolAvgWithPad) return static_cast<float>(volumeOf(s.size));
  const int64_t real = (w.end[0] - w.begin[0]) * (w.end[1] - w.begin[1]) * (w.end[2] - w.begin[2]);
  return static_cast<float>(real);
}

template <typename T>
__global__ void poolForwardKernel(int mode, const T* x, T* y, PoolShape s, int64_t total) {
  const int64_t inVolume = volumeOf(s.in);
  const int64_t outVolume = volumeOf(s.out);
  for (int64_t idx = firstIndex(); idx < total; idx += gridStride()) {
    const T* map = x + (idx / outVolume) * inVolume;
    int64_t o[kDnnAxes];
    coordsOf(idx % outVolume, s.out, o);
    const Window w = windowOf(s, o);
    float result;
    if (mode == kPoolMax) {
      argmaxOf(map, s, w, &result);  // −∞ for a window of padding only (the facade rules that out)
    } else {
      float sum = 0.f;
      for (int64_t i0 = w.begin[0]; i0 < w.end[0]; i0++)
        for (int64_t i1 = w.begin[1]; i1 < w.end[1]; i1++)
          for (int64_t i2 = w.begin[2]; i2 < w.end[2]; i2++) sum += load(map, (i0 * s.in[1] + i1) * s.in[2] + i2);
      const float divisor = divisorOf(mode, s, w);
      result = divisor > 0.f ? sum / divisor : 0.f;
    }
    store(y, idx, result);
  }
}

/** The output windows along one axis that contain input coordinate i: [first, last], empty when first > last. */
__device__ __forceinline__ void windowsContaining(const PoolShape& s, int axis, int64_t i, int64_t* first,
                                                  int64_t* last) {
  // o·stride − pad ≤ i < o·stride − pad + size  ⇔  (i + pad − size + 1)/stride ≤ o ≤ (i + pad)/stride.
  const int64_t low = i + s.pad[axis] - s.size[axis] + 1;
  *first = low <= 0 ? 0 : (low + s.stride[axis] - 1) / s.stride[axis];
  const int64_t high = (i + s.pad[axis]) / s.stride[axis];
  *last = high < s.out[axis] - 1 ? high : s.out[axis] - 1;
}

template <typename T>
__global__ void poolBackwardKernel(int mode, const T* x, const T* grad, T* dx, PoolShape s, int64_t total) {
  const int64_t inVolume = volumeOf(s.in);
  const int64_t outVolume = volumeOf(s.out);
  for (int64_t idx = firstIndex(); idx < total; idx += gridStride()) {
    const int64_t mapIndex = idx / inVolume;
    const int64_t self = idx % inVolume;
    const T* map = x + mapIndex * inVolume;
    const T* mapGrad = grad + mapIndex * outVolume;
    int64_t i[kDnnAxes];
    coordsOf(self, s.in, i);
    int64_t first[kDnnAxes];
    int64_t last[kDnnAxes];
    for (int a = 0; a < kDnnAxes; a++) windowsContaining(s, a, i[a], &first[a], &last[a]);
    float acc = 0.f;
    int64_t o[kDnnAxes];
    for (o[0] = first[0]; o[0] <= last[0]; o[0]++) {
      for (o[1] = first[1]; o[1] <= last[1]; o[1]++) {
        for (o[2] = first[2]; o[2] <= last[2]; o[2]++) {
          const Window w = windowOf(s, o);
          const float g = load(mapGrad, (o[0] * s.out[1] + o[1]) * s.out[2] + o[2]);
          if (mode == kPoolMax) {
            float top;
            if (argmaxOf(map, s, w, &top) == self) acc += g;
          } else {
            acc += g / divisorOf(mode, s, w);
          }
        }
      }
    }
    store(dx, idx, acc);
  }
}

}  // namespace

cudaError_t launchPoolForward(int mode, int dtype, const void* x, void* y, const PoolShape& s) {
  if (mode >= kPoolModeCount) return cudaErrorInvalidValue;
  const int64_t total = s.maps * volumeOf(s.out);
  if (total == 0) return cudaSuccess;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocksFor(total), kBlock, poolForwardKernel<T>)(mode, static_cast<const T*>(x), static_cast<T*>(y), s, total);
    return cudaGetLastError();
  });
}

cudaError_t launchPoolBackward(int mode, int dtype, const void* x, const void* grad, void* dx, const PoolShape& s) {
  if (mode >= kPoolModeCount) return cudaErrorInvalidValue;
  const int64_t total = s.maps * volumeOf(s.in);
  if (total == 0) return cudaSuccess;
  return withFloatType(dtype, [&](auto* typed) {
    using T = std::remove_pointer_t<decltype(typed)>;
    PUZZLE_LAUNCH(blocksFor(total), kBlock, poolBackwardKernel<T>)(mode, static_cast<const T*>(x), static_cast<const T*>(grad),
                                                        static_cast<T*>(dx), s, total);
    return cudaGetLastError();
  });
}

}  // namespace puzzle
