// IEEE binary16 for the simulator: the storage type __half and the conversions the kernels use, rounding to nearest
// even like the device's cvt.rn.f16.f32. Arithmetic goes through float, as our kernels compute in fp32.
#pragma once
#include <cstdint>

#include "puzzle_sim/bits.h"

struct __half {
  uint16_t bits;
  __half() = default;
  __half(float v);
  operator float() const;
};

namespace puzzle_sim {

inline uint32_t floatBits(float v) { return bitCast<uint32_t>(v); }
inline float bitsFloat(uint32_t u) { return bitCast<float>(u); }

/** float → binary16 bits, round to nearest even; overflow gives ±inf, NaN stays a (quiet) NaN. */
inline uint16_t halfFromFloat(float value) {
  const uint32_t u = floatBits(value);
  const uint16_t sign = static_cast<uint16_t>((u >> 16) & 0x8000u);
  const uint32_t magnitude = u & 0x7fffffffu;
  if (magnitude >= 0x7f800000u) {  // inf or NaN
    return static_cast<uint16_t>(sign | 0x7c00u | (magnitude > 0x7f800000u ? 0x200u | ((magnitude >> 13) & 0x3ffu) : 0u));
  }
  if (magnitude >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // rounds past 65504
  if (magnitude < 0x38800000u) {  // below the smallest normal half: a subnormal or zero
    if (magnitude < 0x33000000u) return sign;  // below half the smallest subnormal: rounds to zero
    const int shift = 126 - static_cast<int>(magnitude >> 23);  // 14 for 2^-15 … 24 for 2^-25
    const uint32_t mantissa = (magnitude & 0x7fffffu) | 0x800000u;
    const uint32_t kept = mantissa >> shift;
    const uint32_t rest = mantissa & ((1u << shift) - 1);
    const uint32_t halfway = 1u << (shift - 1);
    const uint32_t rounded = kept + (rest > halfway || (rest == halfway && (kept & 1u)) ? 1u : 0u);
    return static_cast<uint16_t>(sign | rounded);
  }
  // Normal: rebias the exponent (127 → 15) and round the 13 dropped mantissa bits to nearest even.
  const uint32_t rebased = magnitude - (112u << 23);
  const uint32_t rounded = rebased + 0xfffu + ((rebased >> 13) & 1u);
  return static_cast<uint16_t>(sign | (rounded >> 13));
}

inline float floatFromHalf(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1fu;
  const uint32_t mantissa = h & 0x3ffu;
  if (exponent == 0x1fu) return bitsFloat(sign | 0x7f800000u | (mantissa << 13));
  if (exponent == 0) {
    if (mantissa == 0) return bitsFloat(sign);
    const float value = static_cast<float>(mantissa) * 5.9604644775390625e-8f;  // mantissa · 2^-24, exact
    return sign ? -value : value;
  }
  return bitsFloat(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

}  // namespace puzzle_sim

inline __half::__half(float v) : bits(puzzle_sim::halfFromFloat(v)) {}
inline __half::operator float() const { return puzzle_sim::floatFromHalf(bits); }

inline float __half2float(__half h) { return puzzle_sim::floatFromHalf(h.bits); }
inline __half __float2half_rn(float v) {
  __half h;
  h.bits = puzzle_sim::halfFromFloat(v);
  return h;
}
inline __half __float2half(float v) { return __float2half_rn(v); }
inline unsigned short __half_as_ushort(__half h) { return h.bits; }
inline __half __ushort_as_half(unsigned short bits) {
  __half h;
  h.bits = bits;
  return h;
}
inline __half __hadd(__half a, __half b) { return __float2half_rn(__half2float(a) + __half2float(b)); }
inline __half __hmul(__half a, __half b) { return __float2half_rn(__half2float(a) * __half2float(b)); }
