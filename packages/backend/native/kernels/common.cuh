// Helpers shared by the kernels: fp32 math over float or half storage, and grid-stride launch geometry.
#pragma once
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "../op_codes.h"
#include "launch.cuh"

namespace puzzle {

constexpr int kBlock = 256;

/** Enough blocks to cover n with one element per thread, capped: the kernels loop with a grid stride. */
inline unsigned blocksFor(int64_t n) {
  int64_t blocks = (n + kBlock - 1) / kBlock;
  if (blocks < 1) return 1;
  return blocks > 65536 ? 65536u : static_cast<unsigned>(blocks);
}

__device__ __forceinline__ int64_t firstIndex() { return blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; }
__device__ __forceinline__ int64_t gridStride() { return static_cast<int64_t>(blockDim.x) * gridDim.x; }

// float16 storage is always computed in fp32 and rounded to nearest on store.
__device__ __forceinline__ float load(const float* p, int64_t i) { return p[i]; }
__device__ __forceinline__ float load(const __half* p, int64_t i) { return __half2float(p[i]); }
__device__ __forceinline__ void store(float* p, int64_t i, float v) { p[i] = v; }
__device__ __forceinline__ void store(__half* p, int64_t i, float v) { p[i] = __float2half_rn(v); }

/** Calls launch<T>() with T the storage type of a float dtype code. */
template <typename Launch>
cudaError_t withFloatType(int dtype, Launch&& launch) {
  if (dtype == kFloat16) return launch(static_cast<__half*>(nullptr));
  if (dtype == kFloat32) return launch(static_cast<float*>(nullptr));
  return cudaErrorInvalidValue;
}

}  // namespace puzzle
