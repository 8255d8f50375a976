// Seeded uniform and normal fills from a counter-based generator (Philox-4x32 with 10 rounds): element i's bits depend
// only on (seed, i), so a fill is reproducible and needs no generator state between launches.
#include "../kernels.h"
#include "common.cuh"

namespace puzzle {
namespace {

constexpr uint32_t kMulA = 0xD2511F53u;
constexpr uint32_t kMulB = 0xCD9E8D57u;
constexpr uint32_t kWeylA = 0x9E3779B9u;  // key schedule increments (golden ratio, sqrt(3) - 1)
constexpr uint32_t kWeylB = 0xBB67AE85u;
constexpr float kTwoToMinus24 = 5.9604644775390625e-8f;

__device__ __forceinline__ uint4 philoxRound(uint4 c, uint2 k) {
  const uint32_t hiA = __umulhi(kMulA, c.x);
  const uint32_t loA = kMulA * c.x;
  const uint32_t hiB = __umulhi(kMulB, c.z);
  const uint32_t loB = kMulB * c.z;
  return make_uint4(hiB ^ c.y ^ k.x, loB, hiA ^ c.w ^ k.y, loA);
}

__device__ uint4 philox(uint64_t counter, uint64_t seed) {
  uint4 c = make_uint4(static_cast<uint32_t>(counter), static_cast<uint32_t>(counter >> 32), 0u, 0u);
  uint2 k = make_uint2(static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32));
  for (int round = 0; round < 10; round++) {
    c = philoxRound(c, k);
    k.x += kWeylA;
    k.y += kWeylB;
  }
  return c;
}

/** [0, 1) from the top 24 bits: exactly representable in fp32. */
__device__ __forceinline__ float unitInterval(uint32_t bits) { return (bits >> 8) * kTwoToMinus24; }
/** (0, 1]: safe for a logarithm. */
__device__ __forceinline__ float unitIntervalOpenZero(uint32_t bits) { return ((bits >> 8) + 1) * kTwoToMinus24; }

__device__ __forceinline__ void putIfInside(float* out, int64_t n, int64_t i, float v) {
  if (i < n) out[i] = v;
}

/** Each thread fills 4 consecutive elements from one Philox block. */
__global__ void uniformKernel(float* out, int64_t n, float low, float high, uint64_t seed) {
  const int64_t groups = (n + 3) / 4;
  // Rounding of low + (high - low)·u can reach `high` itself; keep the interval half-open.
  const float below = nextafterf(high, low);
  for (int64_t g = firstIndex(); g < groups; g += gridStride()) {
    const uint4 r = philox(static_cast<uint64_t>(g), seed);
    const uint32_t bits[4] = {r.x, r.y, r.z, r.w};
    for (int j = 0; j < 4; j++) {
      float v = low + (high - low) * unitInterval(bits[j]);
      if (high > low && v >= high) v = below;
      putIfInside(out, n, g * 4 + j, v);
    }
  }
}

/** Box-Muller: two uniforms give two independent normals. */
__global__ void normalKernel(float* out, int64_t n, float mean, float stddev, uint64_t seed) {
  const int64_t groups = (n + 3) / 4;
  for (int64_t g = firstIndex(); g < groups; g += gridStride()) {
    const uint4 r = philox(static_cast<uint64_t>(g), seed);
    const float radiusA = sqrtf(-2.f * logf(unitIntervalOpenZero(r.x)));
    const float radiusB = sqrtf(-2.f * logf(unitIntervalOpenZero(r.z)));
    float sinA, cosA, sinB, cosB;
    sincospif(2.f * unitInterval(r.y), &sinA, &cosA);
    sincospif(2.f * unitInterval(r.w), &sinB, &cosB);
    putIfInside(out, n, g * 4 + 0, mean + stddev * radiusA * cosA);
    putIfInside(out, n, g * 4 + 1, mean + stddev * radiusA * sinA);
    putIfInside(out, n, g * 4 + 2, mean + stddev * radiusB * cosB);
    putIfInside(out, n, g * 4 + 3, mean + stddev * radiusB * sinB);
  }
}

}  // namespace

cudaError_t launchFillRandom(int dist, float* out, int64_t n, float a, float b, uint64_t seed) {
  if (n == 0) return cudaSuccess;
  const unsigned blocks = blocksFor((n + 3) / 4);
  if (dist == kUniform) PUZZLE_LAUNCH(blocks, kBlock, uniformKernel)(out, n, a, b, seed);
  else if (dist == kNormal) PUZZLE_LAUNCH(blocks, kBlock, normalKernel)(out, n, a, b, seed);
  else return cudaErrorInvalidValue;
  return cudaGetLastError();
}

}  // namespace puzzle
