// Page-locked host buffers for asynchronous device → host copies (a copy into pageable memory would block the
// calling thread). Buffers are kept in power-of-two bins for reuse, up to a cap, because cudaMallocHost is slow.
// Used from the JS thread only.
#pragma once
#include <cstddef>

namespace puzzle {

struct PinnedBlock {
  void* data;
  size_t capacity;
};

PinnedBlock acquirePinned(size_t bytes);
void releasePinned(PinnedBlock block);

}  // namespace puzzle
