// Helpers shared by the dnn kernels: launch geometry for per-channel blocks and a block-wide sum.
#pragma once
#include "common.cuh"

namespace puzzle {

/** Threads of a block that reduces `count` values: a multiple of 32 (warp shuffles need full warps), 32 to 256. */
inline unsigned reductionThreads(int64_t count) {
  int64_t threads = (count + 31) / 32 * 32;
  if (threads < 32) threads = 32;
  return threads > 256 ? 256u : static_cast<unsigned>(threads);
}

__device__ __forceinline__ double warpSum(double v) {
  for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_down_sync(0xffffffffu, v, offset);
  return v;
}

/**
 * The sum of `v` over the block, returned to every thread. Every thread of the block must call it (it synchronises),
 * and blockDim.x must be a multiple of 32. It may be called several times in a row: the leading barrier keeps a
 * call from overwriting the shared slots while threads still read the previous result.
 */
__device__ __forceinline__ double blockSum(double v) {
  __shared__ double warpTotals[32];
  __shared__ double total;
  v = warpSum(v);
  const int lane = threadIdx.x & 31;
  const int warp = threadIdx.x >> 5;
  __syncthreads();
  if (lane == 0) warpTotals[warp] = v;
  __syncthreads();
  if (warp == 0) {
    v = lane < static_cast<int>(blockDim.x >> 5) ? warpTotals[lane] : 0.0;
    v = warpSum(v);
    if (lane == 0) total = v;
  }
  __syncthreads();
  return total;
}

/** Flat index of element (n, c, pos) of an (n, c, s) array. */
__device__ __forceinline__ int64_t channelIndex(int64_t n, int64_t c, int64_t pos, int64_t channels, int64_t s) {
  return (n * channels + c) * s + pos;
}

}  // namespace puzzle
