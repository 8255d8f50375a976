#include "pinned_staging.h"

#include <cuda_runtime_api.h>

#include <map>
#include <vector>

#include "cuda_check.h"

namespace puzzle {

namespace {

constexpr size_t kMinBlock = 4096;
constexpr size_t kMaxHeldBytes = 64u << 20;

std::map<size_t, std::vector<void*>>& bins() {
  static std::map<size_t, std::vector<void*>> held;
  return held;
}
size_t heldBytes = 0;

size_t binFor(size_t bytes) {
  size_t size = kMinBlock;
  while (size < bytes) size <<= 1;
  return size;
}

}  // namespace

PinnedBlock acquirePinned(size_t bytes) {
  const size_t capacity = binFor(bytes);
  std::vector<void*>& bin = bins()[capacity];
  if (!bin.empty()) {
    void* data = bin.back();
    bin.pop_back();
    heldBytes -= capacity;
    return {data, capacity};
  }
  void* data = nullptr;
  checkCuda(cudaMallocHost(&data, capacity), "cudaMallocHost for an async read");
  return {data, capacity};
}

void releasePinned(PinnedBlock block) {
  if (heldBytes + block.capacity > kMaxHeldBytes) {
    cudaFreeHost(block.data);
    return;
  }
  bins()[block.capacity].push_back(block.data);
  heldBytes += block.capacity;
}

}  // namespace puzzle
