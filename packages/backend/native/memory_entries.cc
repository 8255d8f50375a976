// Device memory: allocation, host transfers into and out of strided regions, device copies, fills and casts.
// Strided regions are first collapsed (strided_layout.h) so that most views become one plain or pitched memcpy;
// the rest go through a gather/scatter kernel, staged in a temporary when host memory or an overlap is involved.
#include <cuda_runtime_api.h>

#include <cstdint>
#include <cstring>

#include "cuda_check.h"
#include "device_temp.h"
#include "entries.h"
#include "kernels.h"
#include "layout_args.h"
#include "op_codes.h"

namespace puzzle {

namespace {

constexpr double kMaxExactDouble = 9007199254740992.0;  // 2^53

/** A pitched memcpy applies: two axes, unit inner stride, and a pitch CUDA accepts (below 2^31 bytes). */
bool pitched(const int64_t* stride, const StridedLayout& l, int item) {
  return isPitched(stride, l) && stride[0] * item < (int64_t{1} << 31);
}

int itemBytesArg(const Args& args, size_t i) {
  const int itemBytes = args.code(i);
  if (itemBytes != 2 && itemBytes != 4) fail("ERR_PUZZLE_ARGS", "element size must be 2 or 4 bytes");
  return itemBytes;
}

napi_value allocate(const Args& args) {
  const int64_t bytes = args.count(0);
  void* ptr = nullptr;
  cudaError_t status = cudaMalloc(&ptr, static_cast<size_t>(bytes));
  if (status != cudaSuccess) throwCuda(status, "cudaMalloc of " + std::to_string(bytes) + " bytes");
  const double address = static_cast<double>(reinterpret_cast<uintptr_t>(ptr));
  if (address >= kMaxExactDouble) {
    cudaFree(ptr);
    fail("ERR_PUZZLE_ADDRESS", "device address above 2^53 cannot be passed to JS as a number");
  }
  return numberValue(args.env(), address);
}

napi_value release(const Args& args) {
  checkCuda(cudaFree(args.pointer(0)), "cudaFree");
  return undefinedValue(args.env());
}

/** write(dstPtr, itemBytes, layout | null, source): host → device. */
napi_value write(const Args& args) {
  char* dst = static_cast<char*>(args.pointer(0));
  const int item = itemBytesArg(args, 1);
  const TypedArrayView host = args.typedArray(3);
  if (args.isNullish(2)) {
    checkCuda(cudaMemcpy(dst, host.data, host.bytes, cudaMemcpyHostToDevice), "cudaMemcpy to device");
    return undefinedValue(args.env());
  }
  StridedLayout l;
  if (!hostTransferLayout(args.typedArray(2), HostSide::kSource, l)) return undefinedValue(args.env());
  const size_t bytes = static_cast<size_t>(elementCount(l)) * item;
  if (bytes != host.bytes) fail("ERR_PUZZLE_ARGS", "source holds " + std::to_string(host.bytes) + " bytes, the region " + std::to_string(bytes));
  if (isDense(l.dstStride, l)) {
    checkCuda(cudaMemcpy(dst, host.data, bytes, cudaMemcpyHostToDevice), "cudaMemcpy to device");
  } else if (pitched(l.dstStride, l, item)) {
    const size_t row = l.shape[1] * item;
    checkCuda(cudaMemcpy2D(dst, l.dstStride[0] * item, host.data, row, row, l.shape[0], cudaMemcpyHostToDevice),
              "cudaMemcpy2D to device");
  } else {
    DeviceTemp staging(bytes);
    checkCuda(cudaMemcpy(staging.get(), host.data, bytes, cudaMemcpyHostToDevice), "cudaMemcpy to staging");
    checkCuda(launchStridedCopy(item, dst, staging.get(), l), "scatter kernel");
  }
  return undefinedValue(args.env());
}

/** read(srcPtr, itemBytes, layout | null, destination): device → host, synchronous. */
napi_value read(const Args& args) {
  const char* src = static_cast<const char*>(args.pointer(0));
  const int item = itemBytesArg(args, 1);
  const TypedArrayView host = args.typedArray(3);
  if (args.isNullish(2)) {
    checkCuda(cudaMemcpy(host.data, src, host.bytes, cudaMemcpyDeviceToHost), "cudaMemcpy to host");
    return undefinedValue(args.env());
  }
  StridedLayout l;
  if (!hostTransferLayout(args.typedArray(2), HostSide::kDestination, l)) return undefinedValue(args.env());
  const size_t bytes = static_cast<size_t>(elementCount(l)) * item;
  if (bytes != host.bytes) fail("ERR_PUZZLE_ARGS", "destination holds " + std::to_string(host.bytes) + " bytes, the region " + std::to_string(bytes));
  if (isDense(l.srcStride, l)) {
    checkCuda(cudaMemcpy(host.data, src, bytes, cudaMemcpyDeviceToHost), "cudaMemcpy to host");
  } else if (pitched(l.srcStride, l, item)) {
    const size_t row = l.shape[1] * item;
    checkCuda(cudaMemcpy2D(host.data, row, src, l.srcStride[0] * item, row, l.shape[0], cudaMemcpyDeviceToHost),
              "cudaMemcpy2D to host");
  } else {
    DeviceTemp staging(bytes);
    checkCuda(launchStridedCopy(item, staging.get(), src, l), "gather kernel");
    checkCuda(cudaMemcpy(host.data, staging.get(), bytes, cudaMemcpyDeviceToHost), "cudaMemcpy from staging");
  }
  return undefinedValue(args.env());
}

bool sameStrides(const StridedLayout& l) {
  for (int i = 0; i < l.ndim; i++) {
    if (l.dstStride[i] != l.srcStride[i]) return false;
  }
  return true;
}

/** copy(dstPtr, srcPtr, itemBytes, layout): device → device between two views of one shape. */
napi_value copy(const Args& args) {
  char* dst = static_cast<char*>(args.pointer(0));
  const char* src = static_cast<const char*>(args.pointer(1));
  const int item = itemBytesArg(args, 2);
  StridedLayout l;
  if (!deviceCopyLayout(args.typedArray(3), l)) return undefinedValue(args.env());
  if (dst == src && sameStrides(l)) return undefinedValue(args.env());
  const size_t bytes = static_cast<size_t>(elementCount(l)) * item;
  const bool overlap = dst < src + spanOf(l.srcStride, l) * item && src < dst + spanOf(l.dstStride, l) * item;
  if (overlap) {
    // Reading everything before writing anything keeps overlapping views of one buffer correct.
    DeviceTemp staging(bytes);
    checkCuda(launchStridedCopy(item, staging.get(), src, withContiguousSide(l, true)), "gather kernel");
    checkCuda(launchStridedCopy(item, dst, staging.get(), withContiguousSide(l, false)), "scatter kernel");
  } else if (isDense(l.dstStride, l) && isDense(l.srcStride, l)) {
    checkCuda(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, nullptr), "cudaMemcpyAsync");
  } else if (pitched(l.dstStride, l, item) && pitched(l.srcStride, l, item)) {
    const size_t row = l.shape[1] * item;
    checkCuda(cudaMemcpy2DAsync(dst, l.dstStride[0] * item, src, l.srcStride[0] * item, row, l.shape[0],
                                cudaMemcpyDeviceToDevice, nullptr),
              "cudaMemcpy2DAsync");
  } else {
    checkCuda(launchStridedCopy(item, dst, src, l), "strided copy kernel");
  }
  return undefinedValue(args.env());
}

/** fill(ptr, count, itemBytes, bits): every element set to the same bit pattern. */
napi_value fill(const Args& args) {
  void* dst = args.pointer(0);
  const int64_t n = args.count(1);
  const int item = itemBytesArg(args, 2);
  const uint32_t bits = static_cast<uint32_t>(args.count(3));
  const uint8_t byte = bits & 0xff;
  const bool uniformBytes = item == 2 ? (bits >> 8) == byte : bits == byte * 0x01010101u;
  if (uniformBytes) checkCuda(cudaMemsetAsync(dst, byte, static_cast<size_t>(n) * item, nullptr), "cudaMemsetAsync");
  else checkCuda(launchFill(item, dst, n, bits), "fill kernel");
  return undefinedValue(args.env());
}

/** cast(dstPtr, dstDtype, srcPtr, srcDtype, count). */
napi_value cast(const Args& args) {
  void* dst = args.pointer(0);
  const int dstDtype = args.code(1);
  const void* src = args.pointer(2);
  const int srcDtype = args.code(3);
  const int64_t n = args.count(4);
  if (dstDtype == srcDtype) {
    const size_t bytes = static_cast<size_t>(n) * (dstDtype == kFloat16 ? 2 : 4);
    checkCuda(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, nullptr), "cudaMemcpyAsync");
  } else {
    checkCuda(launchCast(dstDtype, dst, srcDtype, src, n), "cast kernel");
  }
  return undefinedValue(args.env());
}

napi_value synchronize(const Args& args) {
  checkCuda(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
  return undefinedValue(args.env());
}

/** memInfo() → { free, total } in bytes. */
napi_value memInfo(const Args& args) {
  size_t freeBytes = 0;
  size_t totalBytes = 0;
  checkCuda(cudaMemGetInfo(&freeBytes, &totalBytes), "cudaMemGetInfo");
  napi_value result;
  napi_create_object(args.env(), &result);
  setProperty(args.env(), result, "free", numberValue(args.env(), static_cast<double>(freeBytes)));
  setProperty(args.env(), result, "total", numberValue(args.env(), static_cast<double>(totalBytes)));
  return result;
}

}  // namespace

void registerMemoryEntries(napi_env env, napi_value exports) {
  defineFunction(env, exports, "malloc", entry<allocate>);
  defineFunction(env, exports, "free", entry<release>);
  defineFunction(env, exports, "write", entry<write>);
  defineFunction(env, exports, "read", entry<read>);
  defineFunction(env, exports, "copy", entry<copy>);
  defineFunction(env, exports, "fill", entry<fill>);
  defineFunction(env, exports, "cast", entry<cast>);
  defineFunction(env, exports, "synchronize", entry<synchronize>);
  defineFunction(env, exports, "memInfo", entry<memInfo>);
}

}  // namespace puzzle
