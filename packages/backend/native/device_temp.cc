#include "device_temp.h"

#include <cuda_runtime_api.h>

#include <string>

#include "cuda_check.h"
#include "device_state.h"

namespace puzzle {

DeviceTemp::DeviceTemp(size_t bytes) : streamOrdered_(deviceState().streamOrderedAlloc) {
  const std::string what = "allocating " + std::to_string(bytes) + " bytes of staging memory";
  if (streamOrdered_) checkCuda(cudaMallocAsync(&ptr_, bytes, nullptr), what.c_str());
  else checkCuda(cudaMalloc(&ptr_, bytes), what.c_str());
}

DeviceTemp::~DeviceTemp() {
  if (!ptr_) return;
  // A destructor cannot throw; a failure here would resurface at the next checked call anyway.
  if (streamOrdered_) cudaFreeAsync(ptr_, nullptr);
  else cudaFree(ptr_);
}

}  // namespace puzzle
