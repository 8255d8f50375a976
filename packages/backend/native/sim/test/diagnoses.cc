// What a GPU gets silently wrong (or hangs on), the simulator diagnoses: divergent and partial barriers, shuffle and
// vote masks, lanes at different collectives, writes and reads outside an allocation. Each gives the launch failure
// or illegal address the GPU would, with a cudaGetErrorString naming the kernel and the problem; and after each, a
// correct launch works again.
#include <string>
#include <vector>

#include "../../kernels/launch.cuh"
#include "harness.h"

using selftest::cat;
using selftest::check;
using selftest::checkLaunchDiagnosis;
using selftest::checkRecovers;
using selftest::DeviceArray;

namespace {

constexpr unsigned kFullMask = 0xffffffffu;

/** "diagnoses.cc:<line>", the call site as the simulator names it. */
std::string here(int line) { return cat("diagnoses.cc:", line); }

// ---- barriers ----

__global__ void earlyReturnKernel(int* out) {
  if (threadIdx.x >= 16) return;
  __syncthreads();
  out[threadIdx.x] = 1;
}

SELFTEST_CASE(partialBarrier, "diagnosis: __syncthreads reached by part of the block (the rest returned)") {
  DeviceArray<int> out(64);
  PUZZLE_LAUNCH(1, 64, earlyReturnKernel)(out.get());
  checkLaunchDiagnosis(cudaErrorLaunchFailure, "earlyReturnKernel",
                       {"unspecified launch failure", "__syncthreads", "16 of the block's 64 threads", "exited"});
  checkRecovers();
}

int barrierLines[2];

__global__ void twoBarriersKernel(int* out) {
  if (threadIdx.x % 2 == 0) {
    barrierLines[0] = __LINE__; __syncthreads();  // one line: __LINE__ is the barrier's own
  } else {
    barrierLines[1] = __LINE__; __syncthreads();
  }
  out[threadIdx.x] = 1;
}

SELFTEST_CASE(divergentBarrier, "diagnosis: two different __syncthreads call sites") {
  DeviceArray<int> out(32);
  PUZZLE_LAUNCH(1, 32, twoBarriersKernel)(out.get());
  checkLaunchDiagnosis(cudaErrorLaunchFailure, "twoBarriersKernel",
                       {"divergent __syncthreads", here(barrierLines[0]).c_str(), here(barrierLines[1]).c_str()});
  checkRecovers();
}

// ---- warp collectives ----

__global__ void maskWithoutCallerKernel(int* out) {
  out[threadIdx.x] = __shfl_sync(0xfffffffeu, static_cast<int>(threadIdx.x), 1);
}

SELFTEST_CASE(maskLeavesOutCaller, "diagnosis: a shuffle whose mask leaves out the calling lane") {
  DeviceArray<int> out(32);
  PUZZLE_LAUNCH(1, 32, maskWithoutCallerKernel)(out.get());
  checkLaunchDiagnosis(cudaErrorLaunchFailure, "maskWithoutCallerKernel",
                       {"__shfl_sync", "lane 0", "0xfffffffe", "leaves itself out"});
  checkRecovers();
}

__global__ void fullMaskKernel(int* out) {
  out[threadIdx.x] = __shfl_down_sync(kFullMask, static_cast<int>(threadIdx.x), 1);
}

SELFTEST_CASE(maskNamesMissingLanes, "diagnosis: a full-mask shuffle in a block of 48 threads (lanes that do not exist)") {
  DeviceArray<int> out(48);
  PUZZLE_LAUNCH(1, 48, fullMaskKernel)(out.get());
  checkLaunchDiagnosis(cudaErrorLaunchFailure, "fullMaskKernel",
                       {"__shfl_down_sync", "0xffffffff", "lanes 16 and up", "block of 48 threads"});
  checkRecovers();
}

__global__ void sourceOutsideMaskKernel(int* out) {
  const unsigned lane = threadIdx.x % 32;
  if (lane < 16) out[threadIdx.x] = __shfl_sync(0x0000ffffu, static_cast<int>(threadIdx.x), 20);
}

SELFTEST_CASE(sourceOutsideMask, "diagnosis: a shuffle reading a lane outside its mask") {
  DeviceArray<int> out(32);
  PUZZLE_LAUNCH(1, 32, sourceOutsideMaskKernel)(out.get());
  checkLaunchDiagnosis(cudaErrorLaunchFailure, "sourceOutsideMaskKernel",
                       {"__shfl_sync", "reads lane 20", "0x0000ffff", "leaves out"});
  checkRecovers();
}

__global__ void differentCollectivesKernel(int* out) {
  const int v = static_cast<int>(threadIdx.x);
  out[threadIdx.x] = threadIdx.x % 32 < 16 ? __shfl_sync(kFullMask, v, 0) : __shfl_xor_sync(kFullMask, v, 1);
}

int shuffleLines[2];

__global__ void sameShuffleTwoSitesKernel(int* out) {
  const int v = static_cast<int>(threadIdx.x);
  if (threadIdx.x % 2 == 0) {
    shuffleLines[0] = __LINE__; out[threadIdx.x] = __shfl_sync(kFullMask, v, 0);
  } else {
    shuffleLines[1] = __LINE__; out[threadIdx.x] = __shfl_sync(kFullMask, v, 0);
  }
}

SELFTEST_CASE(differentCollectives, "diagnosis: lanes of one warp at different collectives") {
  DeviceArray<int> out(64);
  PUZZLE_LAUNCH(1, 64, differentCollectivesKernel)(out.get());
  checkLaunchDiagnosis(cudaErrorLaunchFailure, "differentCollectivesKernel",
                       {"different collectives", "__shfl_sync", "__shfl_xor_sync"});
  checkRecovers();
  // The same shuffle written twice is two collectives, too: the lanes of a warp must meet at one call.
  PUZZLE_LAUNCH(1, 32, sameShuffleTwoSitesKernel)(out.get());
  checkLaunchDiagnosis(cudaErrorLaunchFailure, "sameShuffleTwoSitesKernel",
                       {"different collectives", here(shuffleLines[0]).c_str(), here(shuffleLines[1]).c_str()});
  checkRecovers();
}

__global__ void exitedLaneKernel(int* out) {
  if (threadIdx.x == 7) return;
  out[threadIdx.x] = __shfl_sync(kFullMask, static_cast<int>(threadIdx.x), 0);
}

SELFTEST_CASE(collectiveWithExitedLane, "diagnosis: a full-mask shuffle after one lane returned") {
  DeviceArray<int> out(32);
  PUZZLE_LAUNCH(1, 32, exitedLaneKernel)(out.get());
  checkLaunchDiagnosis(cudaErrorLaunchFailure, "exitedLaneKernel", {"__shfl_sync", "lane 7", "has exited"});
  checkRecovers();
}

__global__ void warpVersusBlockBarrierKernel(int* out) {
  // The mask is explicit: a bare __syncwarp() does not compile in the simulator yet (see syncwarp.cc).
  if (threadIdx.x == 0) __syncwarp(kFullMask);
  else __syncthreads();
  out[threadIdx.x] = 1;
}

SELFTEST_CASE(warpVersusBlockBarrier, "diagnosis: one lane at __syncwarp while the others wait at __syncthreads") {
  DeviceArray<int> out(32);
  PUZZLE_LAUNCH(1, 32, warpVersusBlockBarrierKernel)(out.get());
  checkLaunchDiagnosis(cudaErrorLaunchFailure, "warpVersusBlockBarrierKernel", {"__syncwarp", "waits at __syncthreads"});
  checkRecovers();
}

__global__ void trapKernel(int* out) {
  if (threadIdx.x == 5) __trap();
  out[threadIdx.x] = 1;
}

SELFTEST_CASE(trap, "diagnosis: __trap() ends the launch, naming the thread") {
  DeviceArray<int> out(32);
  PUZZLE_LAUNCH(1, 32, trapKernel)(out.get());
  checkLaunchDiagnosis(cudaErrorLaunchFailure, "trapKernel", {"__trap()", "thread (5,0,0) of block (0,0,0)"});
  checkRecovers();
}

__global__ void oddWidthKernel(int* out) {
  out[threadIdx.x] = __shfl_down_sync(kFullMask, static_cast<int>(threadIdx.x), 1, 12);
}

SELFTEST_CASE(shuffleWidthNotPowerOfTwo, "diagnosis: a shuffle width that is not a power of 2") {
  DeviceArray<int> out(32);
  PUZZLE_LAUNCH(1, 32, oddWidthKernel)(out.get());
  checkLaunchDiagnosis(cudaErrorLaunchFailure, "oddWidthKernel", {"__shfl_down_sync", "width 12", "not a power of 2"});
  checkRecovers();
}

// ---- memory outside an allocation ----

__global__ void writeAtKernel(float* data, int index) {
  if (threadIdx.x == 0 && blockIdx.x == 1) data[index] = 1.f;
}

__global__ void readAtKernel(const float* data, int index, float* out) {
  if (threadIdx.x == 3) out[0] = data[index];
}

SELFTEST_CASE(writePastEndIntoPadding, "diagnosis: a write one element past the end (the guard bytes in the padding)") {
  // 10 floats: 40 bytes, padded to 48, so element 10 lands in the guard bytes before the inaccessible page.
  DeviceArray<float> data(10);
  PUZZLE_LAUNCH(2, 32, writeAtKernel)(data.get(), 10);
  checkLaunchDiagnosis(cudaErrorIllegalAddress, "writeAtKernel",
                       {"an illegal memory access was encountered", "wrote past the end of the 40-byte allocation"});
  checkRecovers();
}

SELFTEST_CASE(writePastEndIntoPage, "diagnosis: a write one element past the end (the inaccessible page)") {
  // 16 floats: 64 bytes, no padding, so element 16 is the first byte of the inaccessible page.
  DeviceArray<float> data(16);
  PUZZLE_LAUNCH(2, 32, writeAtKernel)(data.get(), 16);
#if defined(__x86_64__)
  checkLaunchDiagnosis(cudaErrorIllegalAddress, "writeAtKernel",
                       {"wrote past the end of the 64-byte allocation", "offset +64", "thread (0,0,0) of block (1,0,0)"});
#else
  // Only x86-64's fault context tells a write from a read.
  checkLaunchDiagnosis(cudaErrorIllegalAddress, "writeAtKernel", {"past the end of the 64-byte allocation", "offset +64"});
#endif
  checkRecovers();
}

SELFTEST_CASE(writeBeforeStart, "diagnosis: a write one element before the start (the guard bytes)") {
  DeviceArray<float> data(10);
  PUZZLE_LAUNCH(2, 32, writeAtKernel)(data.get(), -1);
  checkLaunchDiagnosis(cudaErrorIllegalAddress, "writeAtKernel",
                       {"an illegal memory access was encountered", "wrote before the start of the 40-byte allocation",
                        "offset -4"});
  checkRecovers();
}

SELFTEST_CASE(readPastEnd, "diagnosis: a read past the end (the inaccessible page), caught every time") {
  DeviceArray<float> data(16);
  DeviceArray<float> out(1);
  // Twice: the fault handler leaves by switching fibers, and the second fault must be delivered as well.
  for (int attempt = 0; attempt < 2; attempt++) {
    PUZZLE_LAUNCH(1, 32, readAtKernel)(data.get(), 16, out.get());
    checkLaunchDiagnosis(cudaErrorIllegalAddress, "readAtKernel",
                         {"an illegal memory access was encountered", "read past the end of the 64-byte allocation",
                          "thread (3,0,0)"});
    checkRecovers();
  }
}

// Any fault inside a kernel (a null or wild pointer, a fiber's stack overflow) is the launch's
// cudaErrorIllegalAddress, as on a GPU; once only faults past an allocation were, and the rest killed the process.
__global__ void nullWriteKernel(float* data) {
  if (threadIdx.x == 2) data[threadIdx.x] = 1.f;
}

SELFTEST_CASE(nullPointerWrite, "diagnosis: a write through a null pointer is cudaErrorIllegalAddress, not a crash") {
  PUZZLE_LAUNCH(1, 32, nullWriteKernel)(static_cast<float*>(nullptr));
  checkLaunchDiagnosis(cudaErrorIllegalAddress, "nullWriteKernel", {"an illegal memory access was encountered", "thread (2,0,0)"});
  checkRecovers();
}

// An overrun before a launch fails (trap, barrier, shuffle, fault) is reported with that launch's failure; once the
// guards were checked only after launches that succeeded, and the next, correct launch was blamed.
__global__ void overrunThenTrapKernel(float* data) {
  if (threadIdx.x == 0) {
    data[10] = 1.f;
    __trap();
  }
}

SELFTEST_CASE(overrunInFailedLaunch, "diagnosis: an overrun in a launch that also fails is not blamed on the next launch") {
  DeviceArray<float> data(10);
  PUZZLE_LAUNCH(1, 32, overrunThenTrapKernel)(data.get());
  checkLaunchDiagnosis(cudaErrorLaunchFailure, "overrunThenTrapKernel", {"__trap()"});
  checkRecovers();
}

}  // namespace
