// The CUDA runtime API on the CPU. Everything executes at the call, in issue order, so streams and events are
// always complete; what the simulator adds is checking: every device range a copy or set touches must lie inside one
// live allocation, copy directions must match the pointers, and errors carry the simulator's explanation.
#include <cuda_runtime_api.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "device_memory.h"
#include "sim_state.h"

namespace puzzle_sim {

namespace {

cudaError_t lastError = cudaSuccess;
// The explanation of the most recent error the simulator raised, and its code: cudaGetErrorString appends it.
cudaError_t detailCode = cudaSuccess;
std::string detail;
std::string describedError;

uint64_t randomState = 0;
bool seedRead = false;
uint64_t seedValue = 0;

int currentDevice = 0;

std::map<const void*, size_t>& sharedOptIns() {
  static std::map<const void*, size_t> optIns;
  return optIns;
}

// Streams and events are only handles here; a live set catches use after destroy. The async read's worker thread
// waits on events while the JS thread creates and destroys others, hence the lock.
struct Handle {
  unsigned flags;
};
std::mutex handlesLock;
std::map<const void*, Handle>& handles() {
  static std::map<const void*, Handle> all;
  return all;
}

void addHandle(const void* handle, unsigned flags) {
  std::lock_guard<std::mutex> hold(handlesLock);
  handles().emplace(handle, Handle{flags});
}

bool removeHandle(const void* handle) {
  std::lock_guard<std::mutex> hold(handlesLock);
  return handle && handles().erase(handle) > 0;
}

/** The flags of a live handle, or false when there is none. */
bool liveHandle(const void* handle, unsigned* flags = nullptr) {
  std::lock_guard<std::mutex> hold(handlesLock);
  auto it = handles().find(handle);
  if (it == handles().end()) return false;
  if (flags) *flags = it->second.flags;
  return true;
}

cudaError_t ok() { return cudaSuccess; }

cudaError_t invalid(const std::string& what) { return recordError(cudaErrorInvalidValue, what); }

bool knownStream(cudaStream_t stream) { return stream == nullptr || liveHandle(stream); }

/** Checks one side of a copy against the pointer's kind; empty when it is consistent. */
std::string checkSide(const void* ptr, size_t bytes, bool device, const char* role) {
  if (device) return checkDeviceRange(ptr, bytes, role);
  if (touchesDeviceMemory(ptr, bytes)) return std::string(role) + " is device memory but the copy kind says host";
  return {};
}

cudaError_t copy2D(void* dst, size_t dpitch, const void* src, size_t spitch, size_t width, size_t height,
                   cudaMemcpyKind kind, const char* name) {
  if (width == 0 || height == 0) return ok();
  if (width > dpitch || width > spitch) {
    return recordError(cudaErrorInvalidPitchValue, std::string(name) + ": width " + std::to_string(width) +
                                                       " exceeds a pitch (dst " + std::to_string(dpitch) + ", src " +
                                                       std::to_string(spitch) + ")");
  }
  if (kind < cudaMemcpyHostToHost || kind > cudaMemcpyDefault) {
    return recordError(cudaErrorInvalidMemcpyDirection, std::string(name) + ": unknown copy kind");
  }
  const bool dstDevice = kind == cudaMemcpyDefault ? touchesDeviceMemory(dst, 1) : kind == cudaMemcpyHostToDevice || kind == cudaMemcpyDeviceToDevice;
  const bool srcDevice = kind == cudaMemcpyDefault ? touchesDeviceMemory(src, 1) : kind == cudaMemcpyDeviceToHost || kind == cudaMemcpyDeviceToDevice;
  const size_t dstSpan = (height - 1) * dpitch + width;
  const size_t srcSpan = (height - 1) * spitch + width;
  std::string problem = checkSide(dst, dstSpan, dstDevice, "destination");
  if (problem.empty()) problem = checkSide(src, srcSpan, srcDevice, "source");
  if (problem.empty()) {
    const auto d = reinterpret_cast<uintptr_t>(dst);
    const auto s = reinterpret_cast<uintptr_t>(src);
    if (d < s + srcSpan && s < d + dstSpan) problem = "source and destination overlap";
  }
  if (!problem.empty()) return invalid(std::string(name) + ": " + problem);
  for (size_t row = 0; row < height; row++) {
    std::memcpy(static_cast<char*>(dst) + row * dpitch, static_cast<const char*>(src) + row * spitch, width);
  }
  return ok();
}

cudaError_t set(void* ptr, int value, size_t count, const char* name) {
  if (count == 0) return ok();
  const std::string problem = checkDeviceRange(ptr, count, "destination");
  if (!problem.empty()) return invalid(std::string(name) + ": " + problem);
  std::memset(ptr, value, count);
  return ok();
}

const char* errorName(cudaError_t error) {
  switch (error) {
    case cudaSuccess: return "cudaSuccess";
    case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
    case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
    case cudaErrorInitializationError: return "cudaErrorInitializationError";
    case cudaErrorInvalidConfiguration: return "cudaErrorInvalidConfiguration";
    case cudaErrorInvalidPitchValue: return "cudaErrorInvalidPitchValue";
    case cudaErrorInvalidDevicePointer: return "cudaErrorInvalidDevicePointer";
    case cudaErrorInvalidMemcpyDirection: return "cudaErrorInvalidMemcpyDirection";
    case cudaErrorInsufficientDriver: return "cudaErrorInsufficientDriver";
    case cudaErrorNoDevice: return "cudaErrorNoDevice";
    case cudaErrorInvalidDevice: return "cudaErrorInvalidDevice";
    case cudaErrorInvalidResourceHandle: return "cudaErrorInvalidResourceHandle";
    case cudaErrorNotReady: return "cudaErrorNotReady";
    case cudaErrorIllegalAddress: return "cudaErrorIllegalAddress";
    case cudaErrorLaunchOutOfResources: return "cudaErrorLaunchOutOfResources";
    case cudaErrorAssert: return "cudaErrorAssert";
    case cudaErrorLaunchFailure: return "cudaErrorLaunchFailure";
    default: return "cudaErrorUnknown";
  }
}

// The runtime's own wording for each error, so that messages read as they would on a GPU.
const char* errorText(cudaError_t error) {
  switch (error) {
    case cudaSuccess: return "no error";
    case cudaErrorInvalidValue: return "invalid argument";
    case cudaErrorMemoryAllocation: return "out of memory";
    case cudaErrorInitializationError: return "initialization error";
    case cudaErrorInvalidConfiguration: return "invalid configuration argument";
    case cudaErrorInvalidPitchValue: return "invalid pitch argument";
    case cudaErrorInvalidDevicePointer: return "invalid device pointer";
    case cudaErrorInvalidMemcpyDirection: return "invalid copy direction for memcpy";
    case cudaErrorInsufficientDriver: return "CUDA driver version is insufficient for CUDA runtime version";
    case cudaErrorNoDevice: return "no CUDA-capable device is detected";
    case cudaErrorInvalidDevice: return "invalid device ordinal";
    case cudaErrorInvalidResourceHandle: return "invalid resource handle";
    case cudaErrorNotReady: return "device not ready";
    case cudaErrorIllegalAddress: return "an illegal memory access was encountered";
    case cudaErrorLaunchOutOfResources: return "too many resources requested for launch";
    case cudaErrorAssert: return "device-side assert triggered";
    case cudaErrorLaunchFailure: return "unspecified launch failure";
    default: return "unknown error";
  }
}

}  // namespace

cudaError_t recordError(cudaError_t code, const std::string& text) {
  lastError = code;
  detailCode = code;
  detail = text;
  return code;
}

uint64_t seed() {
  if (!seedRead) {
    seedRead = true;
    const char* env = std::getenv("PUZZLE_CUDA_SIM_SEED");
    setSeed(env ? std::strtoull(env, nullptr, 10) : 0);
  }
  return seedValue;
}

void setSeed(uint64_t value) {
  seedRead = true;
  seedValue = value;
  // splitmix64 of the seed: a nonzero xorshift state for every seed.
  uint64_t z = value + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  randomState = (z ^ (z >> 31)) | 1u;
}

uint64_t nextRandom() {
  randomState ^= randomState >> 12;
  randomState ^= randomState << 25;
  randomState ^= randomState >> 27;
  return randomState * 0x2545f4914f6cdd1dull;
}

Counters& counters() {
  static Counters all;
  return all;
}

cudaError_t pendingDeviceCountError = cudaSuccess;

void failNextDeviceCount(cudaError_t status) { pendingDeviceCountError = status; }

size_t dynamicSharedLimit(const void* function) {
  auto it = sharedOptIns().find(function);
  return it == sharedOptIns().end() ? size_t{48 * 1024} : it->second;
}

}  // namespace puzzle_sim

using namespace puzzle_sim;

extern "C" {

const char* cudaGetErrorName(cudaError_t error) { return errorName(error); }

const char* cudaGetErrorString(cudaError_t error) {
  if (error != cudaSuccess && error == detailCode && !detail.empty()) {
    describedError = std::string(errorText(error)) + " [CUDA simulator: " + detail + "]";
    return describedError.c_str();
  }
  return errorText(error);
}

cudaError_t cudaGetLastError(void) {
  const cudaError_t error = lastError;
  lastError = cudaSuccess;
  return error;
}

cudaError_t cudaPeekAtLastError(void) { return lastError; }

cudaError_t cudaGetDeviceCount(int* count) {
  const cudaError_t injected = std::exchange(puzzle_sim::pendingDeviceCountError, cudaSuccess);
  *count = injected == cudaSuccess ? 1 : 0;
  return injected;
}

cudaError_t cudaSetDevice(int device) {
  if (device != 0) return recordError(cudaErrorInvalidDevice, "the simulator has one device, 0; asked for " + std::to_string(device));
  currentDevice = device;
  return ok();
}

cudaError_t cudaGetDevice(int* device) {
  *device = currentDevice;
  return ok();
}

cudaError_t cudaGetDeviceProperties(cudaDeviceProp* prop, int device) {
  if (device != 0) return recordError(cudaErrorInvalidDevice, "the simulator has one device, 0");
  std::memset(prop, 0, sizeof *prop);
  std::snprintf(prop->name, sizeof prop->name, "CUDA simulator on the CPU (no GPU)");
  prop->totalGlobalMem = deviceCapacity();
  prop->sharedMemPerBlock = 48 * 1024;
  prop->sharedMemPerBlockOptin = 227 * 1024;
  prop->regsPerBlock = 65536;
  prop->warpSize = 32;
  prop->maxThreadsPerBlock = 1024;
  prop->maxThreadsDim[0] = 1024;
  prop->maxThreadsDim[1] = 1024;
  prop->maxThreadsDim[2] = 64;
  prop->maxGridSize[0] = 2147483647;
  prop->maxGridSize[1] = 65535;
  prop->maxGridSize[2] = 65535;
  // The limits modelled are sm_90's.
  prop->major = 9;
  prop->minor = 0;
  prop->multiProcessorCount = 1;
  return ok();
}

cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr attr, int device) {
  if (device != 0) return recordError(cudaErrorInvalidDevice, "the simulator has one device, 0");
  switch (attr) {
    case cudaDevAttrMaxThreadsPerBlock: *value = 1024; return ok();
    case cudaDevAttrMaxSharedMemoryPerBlock: *value = 48 * 1024; return ok();
    case cudaDevAttrWarpSize: *value = 32; return ok();
    case cudaDevAttrMultiProcessorCount: *value = 1; return ok();
    case cudaDevAttrComputeCapabilityMajor: *value = 9; return ok();
    case cudaDevAttrComputeCapabilityMinor: *value = 0; return ok();
    case cudaDevAttrMemoryPoolsSupported: *value = 1; return ok();
  }
  return invalid("cudaDeviceGetAttribute: attribute " + std::to_string(static_cast<int>(attr)) + " is not simulated");
}

cudaError_t cudaDeviceSynchronize(void) { return ok(); }

cudaError_t cudaMalloc(void** devPtr, size_t size) {
  if (!devPtr) return invalid("cudaMalloc: null result pointer");
  if (!deviceAllocate(size, devPtr)) {
    return recordError(cudaErrorMemoryAllocation, std::to_string(size) + " bytes asked, " +
                                                      std::to_string(deviceCapacity() - deviceBytesInUse()) +
                                                      " of the simulated device's " + std::to_string(deviceCapacity()) + " free");
  }
  return ok();
}

cudaError_t cudaFree(void* devPtr) {
  if (!devPtr) return ok();
  if (!deviceFree(devPtr)) {
    const std::string outside = checkDeviceRange(devPtr, 1, "pointer");
    return invalid("cudaFree: " + (outside.empty() ? "the pointer lies inside an allocation but is not the start of one" : outside));
  }
  return ok();
}

cudaError_t cudaMallocHost(void** ptr, size_t size) {
  *ptr = std::malloc(size ? size : 1);
  return *ptr ? ok() : recordError(cudaErrorMemoryAllocation, "cudaMallocHost of " + std::to_string(size) + " bytes");
}

cudaError_t cudaFreeHost(void* ptr) {
  std::free(ptr);
  return ok();
}

cudaError_t cudaMemGetInfo(size_t* free, size_t* total) {
  *total = deviceCapacity();
  *free = deviceCapacity() - deviceBytesInUse();
  return ok();
}

cudaError_t cudaMallocAsync(void** devPtr, size_t size, cudaStream_t stream) {
  if (!knownStream(stream)) return recordError(cudaErrorInvalidResourceHandle, "cudaMallocAsync: unknown stream");
  return cudaMalloc(devPtr, size);
}

cudaError_t cudaFreeAsync(void* devPtr, cudaStream_t stream) {
  if (!knownStream(stream)) return recordError(cudaErrorInvalidResourceHandle, "cudaFreeAsync: unknown stream");
  return cudaFree(devPtr);
}

cudaError_t cudaDeviceGetDefaultMemPool(cudaMemPool_t* pool, int device) {
  if (device != 0) return recordError(cudaErrorInvalidDevice, "the simulator has one device, 0");
  static int defaultPool;
  *pool = reinterpret_cast<cudaMemPool_t>(&defaultPool);
  return ok();
}

cudaError_t cudaMemPoolSetAttribute(cudaMemPool_t pool, cudaMemPoolAttr, void* value) {
  if (!pool || !value) return invalid("cudaMemPoolSetAttribute: null pool or value");
  return ok();
}

cudaError_t cudaMemcpy(void* dst, const void* src, size_t count, cudaMemcpyKind kind) {
  return copy2D(dst, count, src, count, count, 1, kind, "cudaMemcpy");
}

cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t count, cudaMemcpyKind kind, cudaStream_t stream) {
  if (!knownStream(stream)) return recordError(cudaErrorInvalidResourceHandle, "cudaMemcpyAsync: unknown stream");
  return copy2D(dst, count, src, count, count, 1, kind, "cudaMemcpyAsync");
}

cudaError_t cudaMemcpy2D(void* dst, size_t dpitch, const void* src, size_t spitch, size_t width, size_t height,
                         cudaMemcpyKind kind) {
  return copy2D(dst, dpitch, src, spitch, width, height, kind, "cudaMemcpy2D");
}

cudaError_t cudaMemcpy2DAsync(void* dst, size_t dpitch, const void* src, size_t spitch, size_t width, size_t height,
                              cudaMemcpyKind kind, cudaStream_t stream) {
  if (!knownStream(stream)) return recordError(cudaErrorInvalidResourceHandle, "cudaMemcpy2DAsync: unknown stream");
  return copy2D(dst, dpitch, src, spitch, width, height, kind, "cudaMemcpy2DAsync");
}

cudaError_t cudaMemset(void* devPtr, int value, size_t count) { return set(devPtr, value, count, "cudaMemset"); }

cudaError_t cudaMemsetAsync(void* devPtr, int value, size_t count, cudaStream_t stream) {
  if (!knownStream(stream)) return recordError(cudaErrorInvalidResourceHandle, "cudaMemsetAsync: unknown stream");
  return set(devPtr, value, count, "cudaMemsetAsync");
}

cudaError_t cudaStreamCreate(cudaStream_t* stream) { return cudaStreamCreateWithFlags(stream, cudaStreamDefault); }

cudaError_t cudaStreamCreateWithFlags(cudaStream_t* stream, unsigned int flags) {
  auto* handle = new Handle{flags};
  addHandle(handle, flags);
  *stream = reinterpret_cast<cudaStream_t>(handle);
  return ok();
}

cudaError_t cudaStreamDestroy(cudaStream_t stream) {
  if (!removeHandle(stream)) return recordError(cudaErrorInvalidResourceHandle, "cudaStreamDestroy: unknown stream");
  delete reinterpret_cast<Handle*>(stream);
  return ok();
}

cudaError_t cudaStreamSynchronize(cudaStream_t stream) {
  if (!knownStream(stream)) return recordError(cudaErrorInvalidResourceHandle, "cudaStreamSynchronize: unknown stream");
  return ok();
}

cudaError_t cudaEventCreate(cudaEvent_t* event) { return cudaEventCreateWithFlags(event, cudaEventDefault); }

cudaError_t cudaEventCreateWithFlags(cudaEvent_t* event, unsigned int flags) {
  auto* handle = new Handle{flags};
  addHandle(handle, flags);
  *event = reinterpret_cast<cudaEvent_t>(handle);
  return ok();
}

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream) {
  if (!liveHandle(event) || !knownStream(stream)) {
    return recordError(cudaErrorInvalidResourceHandle, "cudaEventRecord: unknown event or stream");
  }
  return ok();
}

cudaError_t cudaEventQuery(cudaEvent_t event) {
  if (!liveHandle(event)) return recordError(cudaErrorInvalidResourceHandle, "cudaEventQuery: unknown event");
  return ok();
}

// The async read's worker thread calls this: it records no error (the last error belongs to the JS thread's calls)
// and only reads the handle table, under its lock.
cudaError_t cudaEventSynchronize(cudaEvent_t event) { return liveHandle(event) ? cudaSuccess : cudaErrorInvalidResourceHandle; }

cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end) {
  unsigned startFlags = 0;
  unsigned endFlags = 0;
  if (!liveHandle(start, &startFlags) || !liveHandle(end, &endFlags)) {
    return recordError(cudaErrorInvalidResourceHandle, "cudaEventElapsedTime: unknown event");
  }
  if ((startFlags | endFlags) & cudaEventDisableTiming) {
    return recordError(cudaErrorInvalidResourceHandle, "cudaEventElapsedTime: an event was created without timing");
  }
  *ms = 0.f;  // the simulator has no device clock
  return ok();
}

cudaError_t cudaEventDestroy(cudaEvent_t event) {
  if (!removeHandle(event)) return recordError(cudaErrorInvalidResourceHandle, "cudaEventDestroy: unknown event");
  delete reinterpret_cast<Handle*>(event);
  return ok();
}

cudaError_t cudaFuncSetAttribute(const void* func, cudaFuncAttribute attr, int value) {
  if (attr != cudaFuncAttributeMaxDynamicSharedMemorySize) return invalid("cudaFuncSetAttribute: attribute not simulated");
  if (value < 0 || value > 227 * 1024) return invalid("cudaFuncSetAttribute: " + std::to_string(value) + " bytes of shared memory exceed sm_90's 227 KiB");
  sharedOptIns()[func] = static_cast<size_t>(value);
  return ok();
}

}  // extern "C"
