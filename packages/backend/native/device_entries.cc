// probe() and init(): finding out whether CUDA works here, and opening the device once.
#include <cuda_runtime_api.h>
#include <dlfcn.h>

#include <cstdio>

#include "cuda_check.h"
#include "device_state.h"
#include "entries.h"
#include "kernels.h"

namespace puzzle {

DeviceState& deviceState() {
  static DeviceState state;
  return state;
}

const DeviceState& readyDevice(const char* op) {
  const DeviceState& s = deviceState();
  if (!s.ready) fail("ERR_PUZZLE_NOT_INITIALISED", std::string(op) + ": the CUDA device is not initialised");
  return s;
}

namespace {

bool driverLibraryPresent() {
  void* lib = dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL);
  if (lib) dlclose(lib);
  return lib != nullptr;
}

/** Why cudaGetDeviceCount failed, in the words the engine's probe reports. */
std::string unavailableReason(cudaError_t status) {
  const std::string message = cudaGetErrorString(status);
  if (status == cudaErrorNoDevice) return "no CUDA device: " + message;
  if (status == cudaErrorInsufficientDriver) {
    // The static runtime says "driver version is insufficient" when there is no driver at all: say what is missing.
    if (!driverLibraryPresent()) return "no NVIDIA driver (libcuda.so.1 not found): a GPU needs one; tfjs runs without";
    return "CUDA driver too old for the CUDA 13 runtime: " + message;
  }
  return std::string("CUDA unavailable: ") + cudaGetErrorName(status) + ": " + message;
}

std::string describe(int index) {
  cudaDeviceProp prop;
  checkCuda(cudaGetDeviceProperties(&prop, index), "cudaGetDeviceProperties");
  char text[320];
  std::snprintf(text, sizeof text, "%s (sm_%d%d, %.0f GiB)", prop.name, prop.major, prop.minor,
                prop.totalGlobalMem / 1073741824.0);
  return text;
}

napi_value probe(const Args& args) {
  napi_env env = args.env();
  napi_value result;
  napi_create_object(env, &result);
  auto finish = [&](bool ok, const std::string& text) {
    napi_value okValue;
    napi_get_boolean(env, ok, &okValue);
    setProperty(env, result, "ok", okValue);
    setProperty(env, result, ok ? "device" : "reason", stringValue(env, text));
    return result;
  };
  int count = 0;
  cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    cudaGetLastError();
    return finish(false, unavailableReason(status));
  }
  if (count == 0) return finish(false, "no CUDA device: cudaGetDeviceCount found none");
  std::string blasError;
  if (!loadCublas(blasError)) return finish(false, "cuBLAS not loadable: " + blasError);
  try {
    return finish(true, describe(0));
  } catch (const NativeError& e) {
    return finish(false, "CUDA device unusable: " + e.message);
  }
}

void configureStreamOrderedPool(DeviceState& s) {
  int supported = 0;
  cudaDeviceGetAttribute(&supported, cudaDevAttrMemoryPoolsSupported, s.index);
  cudaGetLastError();
  if (!supported) return;
  cudaMemPool_t pool;
  checkCuda(cudaDeviceGetDefaultMemPool(&pool, s.index), "cudaDeviceGetDefaultMemPool");
  // Keep freed temporaries cached in the pool instead of returning them to the driver at every synchronisation.
  uint64_t threshold = 256ull << 20;
  checkCuda(cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &threshold), "cudaMemPoolSetAttribute");
  s.streamOrderedAlloc = true;
}

/** init(deviceIndex) → description. Idempotent for the same device. */
napi_value init(const Args& args) {
  DeviceState& s = deviceState();
  const int index = args.code(0);
  if (s.ready) {
    if (index != s.index) fail("ERR_PUZZLE_DEVICE", "the addon is already bound to device " + std::to_string(s.index));
    return stringValue(args.env(), s.description);
  }
  std::string blasError;
  const CublasApi* api = loadCublas(blasError);
  if (!api) fail("ERR_PUZZLE_CUBLAS", "cuBLAS not loadable: " + blasError);
  s.index = index;
  checkCuda(cudaSetDevice(index), "cudaSetDevice");
  checkCuda(cudaFree(nullptr), "creating the CUDA context");
  configureStreamOrderedPool(s);
  checkCuda(cudaMalloc(reinterpret_cast<void**>(&s.reduceScratch), (kReducePartials + 1) * sizeof(double)),
            "allocating reduction scratch");
  checkCuda(cudaMalloc(reinterpret_cast<void**>(&s.costTicket), sizeof(unsigned int)), "allocating the cost ticket");
  checkCuda(cudaMemset(s.costTicket, 0, sizeof(unsigned int)), "zeroing the cost ticket");
  checkCuda(cudaMallocHost(reinterpret_cast<void**>(&s.hostResult), sizeof(double)), "allocating a pinned slot");
  checkCublas(*api, api->create(&s.blas), "cublasCreate");
  checkCublas(*api, api->setStream(s.blas, nullptr), "cublasSetStream");
  s.blasApi = api;
  s.description = describe(index);
  s.ready = true;
  return stringValue(args.env(), s.description);
}

}  // namespace

void registerDeviceEntries(napi_env env, napi_value exports) {
  defineFunction(env, exports, "probe", entry<probe>);
  defineFunction(env, exports, "init", entry<init>);
}

}  // namespace puzzle
