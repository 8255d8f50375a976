// One way to launch a kernel in both builds: `PUZZLE_LAUNCH(grid, block, kernel<T>)(args...)`. Under nvcc it is
// `kernel<T><<<grid, block>>>(args...)`; in the CUDA simulator (PUZZLE_CUDA_SIM, native/sim) it hands the kernel
// and copies of its arguments to the simulator's block scheduler. The kernel comes last because a template's
// argument list may hold commas. PUZZLE_LAUNCH_SHARED adds the dynamic shared memory in bytes.
#pragma once
#include <cuda_runtime.h>

#ifdef PUZZLE_CUDA_SIM
#define PUZZLE_LAUNCH_SHARED(grid, block, sharedBytes, ...) \
  ::puzzle_sim::launcher(#__VA_ARGS__, __FILE__, __LINE__, (grid), (block), (sharedBytes), __VA_ARGS__)
#else
#define PUZZLE_LAUNCH_SHARED(grid, block, sharedBytes, ...) __VA_ARGS__<<<(grid), (block), (sharedBytes)>>>
#endif

#define PUZZLE_LAUNCH(grid, block, ...) PUZZLE_LAUNCH_SHARED(grid, block, 0, __VA_ARGS__)

namespace puzzle {

/** The launch's dynamic shared memory (PUZZLE_LAUNCH_SHARED's bytes) as an array of T. */
template <typename T>
__device__ __forceinline__ T* dynamicShared() {
#ifdef PUZZLE_CUDA_SIM
  return static_cast<T*>(::puzzle_sim::dynamicShared());
#else
  extern __shared__ __align__(16) unsigned char puzzleDynamicShared[];
  return reinterpret_cast<T*>(puzzleDynamicShared);
#endif
}

}  // namespace puzzle
