// Shared by the cost kernels: block reductions in double, the grid that fills at most kReducePartials partials, and
// the finish in which the last block of a launch adds the partials into the total.
#pragma once
#include <cmath>

#include "../cost_kernels.h"
#include "../kernels.h"
#include "common.cuh"
#include "warp_reduce.cuh"

namespace puzzle {
namespace cost {

/**
 * Blocks of kBlock threads for `work` items when one block takes about `perBlock` of them per pass: at least 1 (so
 * every partial the finish reads was written), at most `cap`; the kernels loop with a grid stride over the rest.
 */
inline int costBlocks(int64_t work, int64_t perBlock, int cap = kReducePartials) {
  const int64_t wanted = (work + perBlock - 1) / perBlock;
  if (wanted < 1) return 1;
  return wanted > cap ? cap : static_cast<int>(wanted);
}

struct SumOp {
  static __device__ __forceinline__ double identity() { return 0.0; }
  static __device__ __forceinline__ double combine(double a, double b) { return a + b; }
};
struct MinOp {
  static __device__ __forceinline__ double identity() { return static_cast<double>(INFINITY); }
  static __device__ __forceinline__ double combine(double a, double b) { return fmin(a, b); }
};
struct MaxOp {
  static __device__ __forceinline__ double identity() { return -static_cast<double>(INFINITY); }
  static __device__ __forceinline__ double combine(double a, double b) { return fmax(a, b); }
};

/** Lane 0 receives the warp's reduction (a fixed shuffle tree, so the order never varies). */
template <typename Op>
__device__ __forceinline__ double warpReduce(double v) {
  for (int offset = 16; offset > 0; offset >>= 1) v = Op::combine(v, __shfl_down_sync(kFullMask, v, offset));
  return v;
}

/**
 * The block's reduction of `v`, valid in thread 0. Every thread of the block must call it, and blockDim.x must be a
 * multiple of 32 (full warps for the shuffles). The leading barrier lets a kernel call it more than once.
 */
template <typename Op>
__device__ __forceinline__ double blockReduce(double v) {
  __shared__ double warpResults[32];
  v = warpReduce<Op>(v);
  const int lane = threadIdx.x & 31;
  const int warp = threadIdx.x >> 5;
  __syncthreads();
  if (lane == 0) warpResults[warp] = v;
  __syncthreads();
  if (warp == 0) {
    v = lane < static_cast<int>(blockDim.x >> 5) ? warpResults[lane] : Op::identity();
    v = warpReduce<Op>(v);
  }
  return v;
}

/**
 * Stores the block's sum of every thread's `v` as its partial; the block that finishes last then adds all partials
 * in block order into scratch.total and hands a cost's scaled total to its error slots. One launch where a second
 * one-block kernel used to run: a small training step is launch-bound. Every thread must call it, once, at its end.
 */
__device__ __forceinline__ void storeBlockSum(double v, const CostScratch& scratch) {
  __shared__ bool finishesLast;
  v = blockReduce<SumOp>(v);
  if (threadIdx.x == 0) {
    scratch.partials[blockIdx.x] = v;
    // The partial must be visible to every block before the ticket says this block is done.
    __threadfence();
    finishesLast = atomicInc(scratch.ticket, gridDim.x - 1) == gridDim.x - 1;  // wraps the ticket back to 0
  }
  __syncthreads();
  if (!finishesLast) return;
  // Other blocks wrote these: read them past this block's L1 cache.
  const volatile double* partials = scratch.partials;
  double acc = 0.0;
  for (unsigned i = threadIdx.x; i < gridDim.x; i += blockDim.x) acc += partials[i];
  acc = blockReduce<SumOp>(acc);
  if (threadIdx.x != 0) return;
  *scratch.total = acc;
  if (scratch.errorSlots) {
    const float error = static_cast<float>(scratch.errorScale * acc);
    scratch.errorSlots[0] = error;
    scratch.errorSlots[1] += error;
  }
}

/** The status of the kernel just launched: its total is complete when it finishes. */
inline cudaError_t launchStatus() { return cudaGetLastError(); }

}  // namespace cost
}  // namespace puzzle
