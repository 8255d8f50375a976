// cuBLAS status → exception, shared by the real loader (cublas_loader.cc) and the simulator's table (sim/cublas_sim.cc).
#include "cublas_api.h"
#include "napi_args.h"

namespace puzzle {

void checkCublas(const CublasApi& lib, int status, const char* what) {
  if (status == kCublasSuccess) return;
  cudaGetLastError();
  std::string text = lib.statusString ? lib.statusString(status) : "cuBLAS status " + std::to_string(status);
  fail("CUBLAS_ERROR", std::string(what) + ": " + text);
}

}  // namespace puzzle
