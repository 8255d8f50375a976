// bfloat16 for the simulator: storage type and conversions, rounding to nearest even like cvt.rn.bf16.f32.
#pragma once
#include <cstdint>

#include "cuda_fp16.h"

struct __nv_bfloat16 {
  uint16_t bits;
};

namespace puzzle_sim {

/** float → bfloat16 bits (the high half of the float), round to nearest even; NaN stays a quiet NaN. */
inline uint16_t bfloat16FromFloat(float value) {
  const uint32_t u = floatBits(value);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((u >> 16) | 0x40u);
  return static_cast<uint16_t>((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}

inline float floatFromBfloat16(uint16_t b) { return bitsFloat(static_cast<uint32_t>(b) << 16); }

}  // namespace puzzle_sim

inline float __bfloat162float(__nv_bfloat16 b) { return puzzle_sim::floatFromBfloat16(b.bits); }
inline __nv_bfloat16 __float2bfloat16_rn(float v) { return __nv_bfloat16{puzzle_sim::bfloat16FromFloat(v)}; }
inline __nv_bfloat16 __float2bfloat16(float v) { return __float2bfloat16_rn(v); }
