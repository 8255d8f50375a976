// The process-wide CUDA state of the addon: which device, the cuBLAS handle and small scratch buffers.
// Node calls the addon from one thread; the async read worker only waits on events.
#pragma once
#include <string>

#include "cublas_api.h"

namespace puzzle {

struct DeviceState {
  bool ready = false;
  int index = 0;
  std::string description;
  /** cudaMallocAsync/cudaFreeAsync are usable (temporaries then cost no device synchronisation). */
  bool streamOrderedAlloc = false;
  const CublasApi* blasApi = nullptr;
  CublasHandle blas = nullptr;
  /** Device scratch for reductions: kReducePartials partial results, then the final value. */
  double* reduceScratch = nullptr;
  /** How many blocks of the running cost or count kernel are done (cost_common.cuh); zero between launches. */
  unsigned int* costTicket = nullptr;
  /** Pinned host slot the final reduction value is copied into. */
  double* hostResult = nullptr;
};

DeviceState& deviceState();

/** Throws unless init() ran: ops that need cuBLAS or the scratch buffers call this first. */
const DeviceState& readyDevice(const char* op);

}  // namespace puzzle
