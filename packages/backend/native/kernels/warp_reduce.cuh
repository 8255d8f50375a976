// Warp-level reductions shared by the kernels that give a row or a column to one warp (softmax, the class costs).
#pragma once
#include "common.cuh"

namespace puzzle {

/** Every lane takes part in a shuffle: kernels keep whole warps alive until their reductions are done. */
constexpr unsigned kFullMask = 0xffffffffu;
constexpr int kWarpsPerBlock = kBlock / 32;

/** The warp's maximum, returned to every lane (xor butterfly); every lane of the warp must call it. */
__device__ __forceinline__ float warpMaxAll(float v) {
  for (int offset = 16; offset > 0; offset >>= 1) v = fmaxf(v, __shfl_xor_sync(kFullMask, v, offset));
  return v;
}

/** The warp's sum, returned to every lane (xor butterfly); every lane of the warp must call it. */
__device__ __forceinline__ float warpSumAll(float v) {
  for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_xor_sync(kFullMask, v, offset);
  return v;
}

}  // namespace puzzle
