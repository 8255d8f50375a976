// The simulated runtime's memory: fresh allocations are NaN bytes (0xFF), and copies, sets and frees that a GPU
// would let corrupt memory or crash later are refused with the runtime's codes; cudaMemGetInfo follows allocations.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "../../kernels/launch.cuh"
#include "harness.h"

using selftest::cat;
using selftest::check;
using selftest::checkCuda;
using selftest::DeviceArray;

namespace {

/** Requires `status` to be `code`, the last error to say the same (then clear), and the message to hold `words`. */
void checkRefused(cudaError_t status, cudaError_t code, const std::string& what, std::initializer_list<const char*> words) {
  check(status == code, cat(what, " gave ", cudaGetErrorName(status), ", expected ", cudaGetErrorName(code)));
  const std::string text = selftest::takeLastError(code, what);
  selftest::checkWords(text, {"[CUDA simulator: "}, what);
  selftest::checkWords(text, words, what);
}

bool allBytes(const std::vector<unsigned char>& bytes, unsigned char value) {
  for (unsigned char b : bytes) {
    if (b != value) return false;
  }
  return true;
}

__global__ void isNanKernel(const float* in, int* nans, int n) {
  const int i = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
  if (i < n && std::isnan(in[i])) atomicAdd(nans, 1);
}

SELFTEST_CASE(freshIsNan, "memory: fresh allocations read back as 0xFF bytes (NaN), in copies and in kernels") {
  DeviceArray<unsigned char> bytes(1000);
  check(allBytes(bytes.download(), 0xff), "a fresh 1000-byte allocation is not all 0xFF");
  // Memory a freed allocation held comes back fresh as well.
  {
    DeviceArray<unsigned char> used(4096);
    used.fillBytes(0);
  }
  DeviceArray<float> floats(4096 / sizeof(float));
  const std::vector<float> values = floats.download();
  std::vector<unsigned char> valueBytes(values.size() * sizeof(float));
  std::memcpy(valueBytes.data(), values.data(), valueBytes.size());
  check(allBytes(valueBytes, 0xff), "an allocation after a free is not all 0xFF");
  for (float v : values) check(std::isnan(v), cat("a fresh float reads ", v, ", not NaN"));
  DeviceArray<int> nans(std::vector<int>{0});
  PUZZLE_LAUNCH(4, 256, isNanKernel)(floats.get(), nans.get(), static_cast<int>(floats.size()));
  checkCuda(cudaGetLastError(), "isNanKernel");
  check(nans.download()[0] == static_cast<int>(floats.size()), cat("a kernel saw ", nans.download()[0], " NaNs of ", floats.size()));
}

SELFTEST_CASE(copyPastEnd, "memory: cudaMemcpy and cudaMemset past an allocation's end are cudaErrorInvalidValue") {
  DeviceArray<unsigned char> dev(100);
  DeviceArray<unsigned char> small(64);
  std::vector<unsigned char> host(200, 0x11);
  unsigned char* d = dev.get();
  checkRefused(cudaMemcpy(d, host.data(), 101, cudaMemcpyHostToDevice), cudaErrorInvalidValue, "cudaMemcpy of 101 bytes into 100",
               {"invalid argument", "cudaMemcpy", "1 bytes past the end of the 100-byte allocation"});
  checkRefused(cudaMemcpy(d + 50, host.data(), 51, cudaMemcpyHostToDevice), cudaErrorInvalidValue,
               "cudaMemcpy of 51 bytes at offset 50", {"past the end"});
  checkRefused(cudaMemcpy(host.data(), d, 101, cudaMemcpyDeviceToHost), cudaErrorInvalidValue, "cudaMemcpy of 101 bytes out of 100",
               {"source", "past the end"});
  checkRefused(cudaMemcpy(small.get(), d, 100, cudaMemcpyDeviceToDevice), cudaErrorInvalidValue,
               "cudaMemcpy of 100 bytes into 64", {"destination", "past the end of the 64-byte allocation"});
  checkRefused(cudaMemcpyAsync(d, host.data(), 101, cudaMemcpyHostToDevice, nullptr), cudaErrorInvalidValue,
               "cudaMemcpyAsync of 101 bytes into 100", {"cudaMemcpyAsync", "past the end"});
  checkRefused(cudaMemset(d, 0, 101), cudaErrorInvalidValue, "cudaMemset of 101 bytes", {"cudaMemset", "past the end"});
  checkRefused(cudaMemset(d + 99, 0, 2), cudaErrorInvalidValue, "cudaMemset of 2 bytes at offset 99", {"past the end"});
  checkRefused(cudaMemsetAsync(d, 0, 101, nullptr), cudaErrorInvalidValue, "cudaMemsetAsync of 101 bytes", {"cudaMemsetAsync"});
  // Before the start is outside too (the guard bytes there are the simulator's, not the allocation's).
  checkRefused(cudaMemcpy(d - 4, host.data(), 8, cudaMemcpyHostToDevice), cudaErrorInvalidValue, "cudaMemcpy from 4 bytes before the start",
               {"outside the 100-byte allocation", "offset -4"});
  checkRefused(cudaMemcpy(d + 10, d, 20, cudaMemcpyDeviceToDevice), cudaErrorInvalidValue, "an overlapping device-to-device copy",
               {"overlap"});
  // The refused calls wrote nothing: the memory is still fresh, and the host buffer untouched.
  check(allBytes(dev.download(), 0xff), "a refused copy or set changed the allocation");
  check(allBytes(host, 0x11), "a refused device-to-host copy changed the host buffer");
  // Exactly the allocation is fine.
  checkCuda(cudaMemcpy(d + 50, host.data(), 50, cudaMemcpyHostToDevice), "cudaMemcpy of the last 50 bytes");
  checkCuda(cudaMemset(d, 0x22, 50), "cudaMemset of the first 50 bytes");
  const std::vector<unsigned char> got = dev.download();
  check(allBytes(std::vector<unsigned char>(got.begin(), got.begin() + 50), 0x22) &&
            allBytes(std::vector<unsigned char>(got.begin() + 50, got.end()), 0x11),
        "the in-range copy and set did not land");
}

SELFTEST_CASE(copy2dPitch, "memory: cudaMemcpy2D with width > pitch is cudaErrorInvalidPitchValue; a good one copies rows") {
  DeviceArray<float> dev(4 * 8);  // 4 rows, pitch 32 bytes
  std::vector<float> host(4 * 6);  // 4 rows, pitch 24 bytes
  for (size_t i = 0; i < host.size(); i++) host[i] = static_cast<float>(i);
  checkRefused(cudaMemcpy2D(dev.get(), 8, host.data(), 24, 12, 2, cudaMemcpyHostToDevice), cudaErrorInvalidPitchValue,
               "cudaMemcpy2D with width 12 > dpitch 8", {"invalid pitch argument", "width 12"});
  checkRefused(cudaMemcpy2D(dev.get(), 32, host.data(), 8, 12, 2, cudaMemcpyHostToDevice), cudaErrorInvalidPitchValue,
               "cudaMemcpy2D with width 12 > spitch 8", {"width 12"});
  // The rows' span must fit as well: (4 - 1) · 48 + 16 bytes do not fit in 128.
  checkRefused(cudaMemcpy2D(dev.get(), 48, host.data(), 24, 16, 4, cudaMemcpyHostToDevice), cudaErrorInvalidValue,
               "cudaMemcpy2D whose last row runs past the end", {"cudaMemcpy2D", "past the end"});
  // 4 floats of each 6-float host row into the first half of each 8-float device row; the rest stays fresh.
  checkCuda(cudaMemcpy2D(dev.get(), 32, host.data(), 24, 16, 4, cudaMemcpyHostToDevice), "cudaMemcpy2D");
  const std::vector<float> got = dev.download();
  for (int row = 0; row < 4; row++) {
    for (int col = 0; col < 8; col++) {
      const float v = got[row * 8 + col];
      if (col < 4) check(v == host[row * 6 + col], cat("row ", row, " column ", col, " is ", v, ", expected ", host[row * 6 + col]));
      else check(std::isnan(v), cat("row ", row, " column ", col, " past the copied width is ", v, ", expected untouched"));
    }
  }
}

SELFTEST_CASE(copyDirection, "memory: a copy whose kind contradicts its pointers (host memory as a device side) fails") {
  DeviceArray<float> dev(16);
  DeviceArray<float> otherDev(16);
  std::vector<float> hostSrc(16, 1.f);
  std::vector<float> hostDst(16, 2.f);
  checkRefused(cudaMemcpy(hostDst.data(), hostSrc.data(), 64, cudaMemcpyHostToDevice), cudaErrorInvalidValue,
               "a HostToDevice copy into host memory", {"destination", "not in any live device allocation"});
  check(hostDst == std::vector<float>(16, 2.f), "the refused copy wrote the host destination");
  checkRefused(cudaMemcpy(hostDst.data(), hostSrc.data(), 64, cudaMemcpyDeviceToHost), cudaErrorInvalidValue,
               "a DeviceToHost copy from host memory", {"source", "not in any live device allocation"});
  checkRefused(cudaMemcpy(dev.get(), otherDev.get(), 64, cudaMemcpyHostToDevice), cudaErrorInvalidValue,
               "a HostToDevice copy from device memory", {"source is device memory but the copy kind says host"});
  // cudaMemcpyDefault infers the sides from the pointers.
  checkCuda(cudaMemcpy(dev.get(), hostSrc.data(), 64, cudaMemcpyDefault), "cudaMemcpyDefault host to device");
  checkCuda(cudaMemcpy(hostDst.data(), dev.get(), 64, cudaMemcpyDefault), "cudaMemcpyDefault device to host");
  check(hostDst == hostSrc, "the cudaMemcpyDefault round trip lost the values");
}

SELFTEST_CASE(freeNotAStart, "memory: cudaFree of a pointer that is not an allocation's start fails; double free fails") {
  void* p = nullptr;
  checkCuda(cudaMalloc(&p, 256), "cudaMalloc");
  // The message only says "cudaFree:  (or not the start of one)" here: checkDeviceRange finds nothing wrong with an
  // interior pointer, so the simulator's explanation is empty (a wording flaw, not checked).
  checkRefused(cudaFree(static_cast<char*>(p) + 4), cudaErrorInvalidValue, "cudaFree of the start + 4", {"cudaFree", "not the start"});
  int onStack = 0;
  checkRefused(cudaFree(&onStack), cudaErrorInvalidValue, "cudaFree of a host pointer", {"cudaFree", "not in any live device allocation"});
  // The refused frees left the allocation alive and usable.
  checkCuda(cudaMemset(p, 0, 256), "cudaMemset after the refused frees");
  checkCuda(cudaFree(p), "cudaFree of the start");
  checkRefused(cudaFree(p), cudaErrorInvalidValue, "a second cudaFree", {"cudaFree", "not in any live device allocation"});
  checkCuda(cudaFree(nullptr), "cudaFree(nullptr)");
}

SELFTEST_CASE(memGetInfo, "memory: cudaMemGetInfo's free memory follows allocations and frees") {
  size_t free0 = 0;
  size_t total0 = 0;
  checkCuda(cudaMemGetInfo(&free0, &total0), "cudaMemGetInfo");
  check(free0 > 0 && free0 <= total0, cat("free ", free0, " of total ", total0));
  constexpr size_t bytes = (size_t{1} << 20) + 3;
  void* p = nullptr;
  checkCuda(cudaMalloc(&p, bytes), "cudaMalloc of 1 MiB + 3");
  size_t free1 = 0;
  size_t total1 = 0;
  checkCuda(cudaMemGetInfo(&free1, &total1), "cudaMemGetInfo after cudaMalloc");
  check(total1 == total0, cat("the total changed from ", total0, " to ", total1));
  check(free1 + bytes <= free0, cat("free memory went from ", free0, " to ", free1, " for a ", bytes, "-byte allocation"));
  checkCuda(cudaFree(p), "cudaFree");
  size_t free2 = 0;
  size_t total2 = 0;
  checkCuda(cudaMemGetInfo(&free2, &total2), "cudaMemGetInfo after cudaFree");
  check(free2 == free0, cat("after the free, free memory is ", free2, ", was ", free0));
  // An allocation larger than the whole device fails as out of memory.
  void* huge = nullptr;
  checkRefused(cudaMalloc(&huge, total0 + 1), cudaErrorMemoryAllocation, "cudaMalloc of more than the device", {"out of memory"});
  check(huge == nullptr, "a failed cudaMalloc returned a pointer");
}

SELFTEST_CASE(streamsAndEvents, "streams and events: live handles work, destroyed ones are refused") {
  cudaStream_t stream = nullptr;
  cudaEvent_t start = nullptr, stop = nullptr, untimed = nullptr;
  checkCuda(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
  checkCuda(cudaEventCreate(&start), "cudaEventCreate");
  checkCuda(cudaEventCreate(&stop), "cudaEventCreate");
  checkCuda(cudaEventCreateWithFlags(&untimed, cudaEventDisableTiming), "cudaEventCreateWithFlags");
  DeviceArray<float> dev(16);
  std::vector<float> host(16, 4.f);
  checkCuda(cudaEventRecord(start, stream), "cudaEventRecord");
  checkCuda(cudaMemcpyAsync(dev.get(), host.data(), 64, cudaMemcpyHostToDevice, stream), "cudaMemcpyAsync on a stream");
  checkCuda(cudaEventRecord(stop, stream), "cudaEventRecord");
  checkCuda(cudaStreamSynchronize(stream), "cudaStreamSynchronize");
  checkCuda(cudaEventSynchronize(stop), "cudaEventSynchronize");
  check(cudaEventQuery(stop) == cudaSuccess, "a recorded event is not complete");
  float ms = -1.f;
  checkCuda(cudaEventElapsedTime(&ms, start, stop), "cudaEventElapsedTime");
  check(ms >= 0.f, cat("cudaEventElapsedTime gave ", ms, " ms"));
  checkRefused(cudaEventElapsedTime(&ms, start, untimed), cudaErrorInvalidResourceHandle, "cudaEventElapsedTime of an untimed event",
               {"without timing"});
  checkCuda(cudaEventDestroy(untimed), "cudaEventDestroy");
  checkCuda(cudaEventDestroy(stop), "cudaEventDestroy");
  checkCuda(cudaStreamDestroy(stream), "cudaStreamDestroy");
  checkRefused(cudaStreamDestroy(stream), cudaErrorInvalidResourceHandle, "a second cudaStreamDestroy", {"unknown stream"});
  checkRefused(cudaStreamSynchronize(stream), cudaErrorInvalidResourceHandle, "cudaStreamSynchronize of a destroyed stream",
               {"unknown stream"});
  checkRefused(cudaEventRecord(stop, nullptr), cudaErrorInvalidResourceHandle, "cudaEventRecord of a destroyed event", {"unknown event"});
  checkRefused(cudaEventDestroy(stop), cudaErrorInvalidResourceHandle, "a second cudaEventDestroy", {"unknown event"});
  // A destroyed event once passed here (success, 0 ms) and went back into the live set, so that a second destroy
  // freed it twice.
  checkRefused(cudaEventElapsedTime(&ms, start, stop), cudaErrorInvalidResourceHandle, "cudaEventElapsedTime with a destroyed event",
               {"cudaEventElapsedTime"});
  checkRefused(cudaEventDestroy(stop), cudaErrorInvalidResourceHandle, "cudaEventDestroy after cudaEventElapsedTime used it", {"unknown event"});
  checkCuda(cudaEventDestroy(start), "cudaEventDestroy");
}

}  // namespace
