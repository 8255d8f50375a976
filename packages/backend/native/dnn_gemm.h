// Row-major strided-batched gemm for the convolutions: C_b = alpha·op(A_b)·op(B_b) + beta·C_b for b < batch, with
// A_b = a + b·strideA (a stride of 0 shares one matrix) and likewise B and C. Matrices are dense: their row lengths
// follow from m, n, k and the transpose flags. A and B hold the storage dtype; C holds it too, or float32 when
// `floatResult` (float16 weight gradients are accumulated in fp32). Math is fp32 unless `precision` (a
// MatmulPrecisionCode) allows tensor-core rounding of float32 operands.
#pragma once
#include <cstdint>

#include "device_state.h"

namespace puzzle {

struct BatchedGemm {
  bool transA = false;
  bool transB = false;
  int64_t m = 0, n = 0, k = 0;
  float alpha = 1.f;
  const void* a = nullptr;
  int64_t strideA = 0;
  const void* b = nullptr;
  int64_t strideB = 0;
  float beta = 0.f;
  void* c = nullptr;
  int64_t strideC = 0;
  int64_t batch = 1;
};

/** Throws (NativeError) on bad dimensions or a cuBLAS failure; `op` names the dnn op in the message. */
void runBatchedGemm(const DeviceState& s, const char* op, int dtype, bool floatResult, int precision,
                    const BatchedGemm& g);

/** `base` advanced by `elements` items of `itemBytes` bytes. */
inline const void* advance(const void* base, int64_t elements, int itemBytes) {
  return static_cast<const char*>(base) + elements * itemBytes;
}
inline void* advance(void* base, int64_t elements, int itemBytes) {
  return static_cast<char*>(base) + elements * itemBytes;
}

}  // namespace puzzle
