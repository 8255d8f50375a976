// The simulator's side of PUZZLE_LAUNCH (kernels/launch.cuh): binds a kernel to copies of its arguments, as a real
// launch does, and hands it to the block scheduler, which runs it to completion before returning. The launch's
// status (configuration error, out-of-bounds write, divergent barrier, …) is left for cudaGetLastError.
#pragma once
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../cuda_runtime_api.h"
#include "vector_types.h"

namespace puzzle_sim {

struct KernelLaunch {
  const char* name;  // the kernel expression as written at the launch, e.g. "partialsKernel<T, Op, Element>"
  const char* file;
  int line;
  dim3 grid;
  dim3 block;
  size_t sharedBytes;
  const void* function;        // identifies the kernel for cudaFuncSetAttribute
  void (*body)(const void*);   // runs the kernel once, as the current simulated thread
  const void* arguments;
};

/** Runs every block of the launch; the outcome is recorded as the runtime's last error. */
void runKernel(const KernelLaunch& launch);

template <typename... Params>
class Launcher {
 public:
  using Kernel = void (*)(Params...);

  Launcher(const char* name, const char* file, int line, dim3 grid, dim3 block, size_t sharedBytes, Kernel kernel)
      : launch_{name, file, line, grid, block, sharedBytes, reinterpret_cast<const void*>(kernel), nullptr, nullptr},
        kernel_(kernel) {}

  template <typename... Args>
  void operator()(Args&&... args) const {
    static_assert(sizeof...(Args) == sizeof...(Params), "a kernel launch passes every parameter");
    // One copy of the arguments per launch, converted to the parameter types; each thread gets its own copy of
    // that when the kernel is called, as every CUDA thread has its own parameters.
    struct Bound {
      Kernel kernel;
      std::tuple<std::decay_t<Params>...> values;
    };
    const Bound bound{kernel_, std::tuple<std::decay_t<Params>...>(std::forward<Args>(args)...)};
    KernelLaunch launch = launch_;
    launch.body = [](const void* data) {
      const Bound& b = *static_cast<const Bound*>(data);
      std::apply(b.kernel, b.values);
    };
    launch.arguments = &bound;
    runKernel(launch);
  }

 private:
  KernelLaunch launch_;
  Kernel kernel_;
};

template <typename... Params>
Launcher<Params...> launcher(const char* name, const char* file, int line, dim3 grid, dim3 block, size_t sharedBytes,
                             void (*kernel)(Params...)) {
  return Launcher<Params...>(name, file, line, grid, block, sharedBytes, kernel);
}

}  // namespace puzzle_sim
