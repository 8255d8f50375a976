// Anomaly detection (setDetectAnomaly): counts the NaN and ±Inf values of a float array into a device counter. A
// check after each module's forward and backward is then one launch per array, and nothing waits for the device
// until the counter is read.
#include "../kernels.h"
#include "common.cuh"

namespace puzzle {
namespace {

/**
 * A value is non-finite exactly when its exponent bits are all set (IEEE 754, float and half alike). The test reads
 * the bits, so no compiler setting that assumes finite math can fold it away. `Bits` is the storage's unsigned type.
 */
template <typename Bits, Bits kExponent>
__global__ void countNonFiniteKernel(const Bits* x, int64_t n, unsigned int* count) {
  unsigned int mine = 0;
  for (int64_t i = firstIndex(); i < n; i += gridStride()) mine += (x[i] & kExponent) == kExponent ? 1u : 0u;
  // Non-finite values are rare: most threads add nothing and skip the atomic.
  if (mine > 0) atomicAdd(count, mine);
}

}  // namespace

cudaError_t launchCountNonFinite(int dtype, const void* x, int64_t n, int32_t* count) {
  if (n == 0) return cudaSuccess;
  unsigned int* counter = reinterpret_cast<unsigned int*>(count);
  if (dtype == kFloat32) {
    PUZZLE_LAUNCH(blocksFor(n), kBlock, countNonFiniteKernel<uint32_t, 0x7f800000u>)(
        static_cast<const uint32_t*>(x), n, counter);
  } else if (dtype == kFloat16) {
    PUZZLE_LAUNCH(blocksFor(n), kBlock, countNonFiniteKernel<uint16_t, 0x7c00u>)(
        static_cast<const uint16_t*>(x), n, counter);
  } else {
    return cudaErrorInvalidValue;
  }
  return cudaGetLastError();
}

}  // namespace puzzle
