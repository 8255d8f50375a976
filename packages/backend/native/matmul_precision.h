// The float32 matmul precision of the gemm and convolution entries (MatmulPrecisionCode in op_codes.h): reading it
// from JS, and the cuBLAS compute type it selects, in one place so the single gemm and the batched gemms agree.
#pragma once
#include <cstddef>
#include <string>

#include "cublas_api.h"
#include "napi_args.h"
#include "op_codes.h"

namespace puzzle {

/** Argument `i` as a MatmulPrecisionCode; an unknown code is an argument error. */
inline int matmulPrecisionArg(const Args& args, size_t i) {
  const int precision = args.code(i);
  if (precision >= kMatmulPrecisionCount) {
    fail("ERR_PUZZLE_ARGS", "unknown matmul precision code " + std::to_string(precision));
  }
  return precision;
}

/** float16 storage is always accumulated in plain fp32: the faster modes only round float32 operands. */
inline int cublasComputeType(int dtype, int precision) {
  if (dtype != kFloat32) return kCublasCompute32F;
  switch (precision) {
    case kMatmulHigh:
      return kCublasCompute32FFastTF32;
    case kMatmulMedium:
      return kCublasCompute32FFast16BF;
    default:
      return kCublasCompute32F;
  }
}

}  // namespace puzzle
