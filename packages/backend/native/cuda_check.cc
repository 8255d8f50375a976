#include "cuda_check.h"

#include "napi_args.h"

namespace puzzle {

void throwCuda(cudaError_t status, const std::string& what) {
  cudaGetLastError();
  const char* name = cudaGetErrorName(status);
  fail(name, what + ": " + cudaGetErrorString(status) + " (" + name + ")");
}

}  // namespace puzzle
