// The second level of every cost total: one block adds the per-block partials, always in the same order, and hands a
// cost's scaled total to its error slots.
#include "cost_common.cuh"

namespace puzzle {
namespace cost {
namespace {

__global__ void sumPartialsKernel(const double* partials, int count, double* total, float* errorSlots,
                                  double errorScale) {
  double acc = 0.0;
  for (int i = threadIdx.x; i < count; i += blockDim.x) acc += partials[i];
  acc = blockReduce<SumOp>(acc);
  if (threadIdx.x != 0) return;
  *total = acc;
  if (errorSlots) {
    const float error = static_cast<float>(errorScale * acc);
    errorSlots[0] = error;
    errorSlots[1] += error;
  }
}

}  // namespace

cudaError_t finishSum(const CostScratch& scratch, int blocks) {
  const cudaError_t launched = cudaGetLastError();
  if (launched != cudaSuccess) return launched;
  sumPartialsKernel<<<1, kBlock>>>(scratch.partials, blocks, scratch.total, scratch.errorSlots, scratch.errorScale);
  return cudaGetLastError();
}

}  // namespace cost
}  // namespace puzzle
