// Memory kernels: strided gather/scatter between views, fills with a bit pattern, and dtype casts.
#include <type_traits>

#include "../kernels.h"
#include "common.cuh"

namespace puzzle {
namespace {

/** Copies element idx (C order over layout.shape) between the two strided sides; Word is the element's bits. */
template <typename Word>
__global__ void stridedCopyKernel(Word* dst, const Word* src, StridedLayout layout, int64_t total) {
  for (int64_t idx = firstIndex(); idx < total; idx += gridStride()) {
    int64_t rest = idx;
    int64_t dstOffset = 0;
    int64_t srcOffset = 0;
    for (int axis = layout.ndim - 1; axis >= 0; axis--) {
      const int64_t coord = rest % layout.shape[axis];
      rest /= layout.shape[axis];
      dstOffset += coord * layout.dstStride[axis];
      srcOffset += coord * layout.srcStride[axis];
    }
    dst[dstOffset] = src[srcOffset];
  }
}

template <typename Word>
__global__ void fillKernel(Word* dst, int64_t n, Word bits) {
  for (int64_t i = firstIndex(); i < n; i += gridStride()) dst[i] = bits;
}

// Conversions go through fp32 (float16) or follow C semantics: float → int32 truncates toward zero.
__device__ __forceinline__ float toF32(float v) { return v; }
__device__ __forceinline__ float toF32(__half v) { return __half2float(v); }
__device__ __forceinline__ float toF32(int32_t v) { return static_cast<float>(v); }

template <typename To>
__device__ __forceinline__ To fromF32(float v);
template <>
__device__ __forceinline__ float fromF32<float>(float v) { return v; }
template <>
__device__ __forceinline__ __half fromF32<__half>(float v) { return __float2half_rn(v); }
template <>
__device__ __forceinline__ int32_t fromF32<int32_t>(float v) { return __float2int_rz(v); }

template <typename To, typename From>
__global__ void castKernel(To* dst, const From* src, int64_t n) {
  for (int64_t i = firstIndex(); i < n; i += gridStride()) dst[i] = fromF32<To>(toF32(src[i]));
}

/** Calls launch<T>() with T the storage type of any dtype code. */
template <typename Launch>
cudaError_t withAnyType(int dtype, Launch&& launch) {
  switch (dtype) {
    case kFloat32: return launch(static_cast<float*>(nullptr));
    case kFloat16: return launch(static_cast<__half*>(nullptr));
    case kInt32: return launch(static_cast<int32_t*>(nullptr));
    default: return cudaErrorInvalidValue;
  }
}

}  // namespace

cudaError_t launchStridedCopy(int itemBytes, void* dst, const void* src, const StridedLayout& layout) {
  const int64_t total = elementCount(layout);
  if (itemBytes == 2) {
    PUZZLE_LAUNCH(blocksFor(total), kBlock, stridedCopyKernel<uint16_t>)(static_cast<uint16_t*>(dst),
                                                              static_cast<const uint16_t*>(src), layout, total);
  } else if (itemBytes == 4) {
    PUZZLE_LAUNCH(blocksFor(total), kBlock, stridedCopyKernel<uint32_t>)(static_cast<uint32_t*>(dst),
                                                              static_cast<const uint32_t*>(src), layout, total);
  } else {
    return cudaErrorInvalidValue;
  }
  return cudaGetLastError();
}

cudaError_t launchFill(int itemBytes, void* dst, int64_t n, uint32_t bits) {
  if (n == 0) return cudaSuccess;
  if (itemBytes == 2) {
    PUZZLE_LAUNCH(blocksFor(n), kBlock, fillKernel<uint16_t>)(static_cast<uint16_t*>(dst), n, static_cast<uint16_t>(bits));
  } else if (itemBytes == 4) {
    PUZZLE_LAUNCH(blocksFor(n), kBlock, fillKernel<uint32_t>)(static_cast<uint32_t*>(dst), n, bits);
  } else {
    return cudaErrorInvalidValue;
  }
  return cudaGetLastError();
}

cudaError_t launchCast(int dstDtype, void* dst, int srcDtype, const void* src, int64_t n) {
  if (n == 0) return cudaSuccess;
  return withAnyType(dstDtype, [&](auto* dstTyped) {
    using To = std::remove_pointer_t<decltype(dstTyped)>;
    return withAnyType(srcDtype, [&](auto* srcTyped) {
      using From = std::remove_pointer_t<decltype(srcTyped)>;
      PUZZLE_LAUNCH(blocksFor(n), kBlock, castKernel<To, From>)(static_cast<To*>(dst), static_cast<const From*>(src), n);
      return cudaGetLastError();
    });
  });
}

}  // namespace puzzle
