// CUDA status → exception. Clearing the runtime's last error on failure matters: a failed cudaMalloc would otherwise
// be reported again by the next cudaGetLastError after an unrelated, successful launch.
#pragma once
#include <cuda_runtime_api.h>

#include <string>

namespace puzzle {

[[noreturn]] void throwCuda(cudaError_t status, const std::string& what);

inline void checkCuda(cudaError_t status, const char* what) {
  if (status != cudaSuccess) throwCuda(status, what);
}

}  // namespace puzzle
