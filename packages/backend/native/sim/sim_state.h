// State shared by the simulator's parts: the runtime's last error with the simulator's own explanation of it, the
// seed that orders threads and blocks, and counters of the work done.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace puzzle_sim {

/** Records `code` as the last error, with `detail` (what the simulator saw) for cudaGetErrorString; returns code. */
cudaError_t recordError(cudaError_t code, const std::string& detail);

/** 0: threads and blocks run in index order; otherwise a seeded shuffle (PUZZLE_CUDA_SIM_SEED, or setSeed). */
uint64_t seed();
void setSeed(uint64_t value);
/** The next pseudo-random number of the seeded order (xorshift64*). */
uint64_t nextRandom();

/** The dynamic shared memory a launch of `function` may ask for: 48 KiB, or what cudaFuncSetAttribute allowed. */
size_t dynamicSharedLimit(const void* function);

/** Whether a simulated thread is running now (on its fiber), rather than host code. */
bool kernelThreadRunning();
/** Whether `address` is in the guard page below the running thread's fiber stack (a stack overflow). */
bool runningThreadStackGuard(const void* address);
/** Ends the launch with `code`; the running thread never continues. Only while kernelThreadRunning(). */
[[noreturn]] void failRunningThread(cudaError_t code, const std::string& what);

struct Counters {
  uint64_t launches = 0;
  uint64_t blocks = 0;
  uint64_t threads = 0;
  uint64_t gemms = 0;
};
Counters& counters();

/** The next cudaGetDeviceCount fails with `status` (tests of how the engine words a machine without a working GPU). */
void failNextDeviceCount(cudaError_t status);

}  // namespace puzzle_sim
