// The second level of every cost total: one block adds the per-block partials, always in the same order.
#include "cost_common.cuh"

namespace puzzle {
namespace cost {
namespace {

__global__ void sumPartialsKernel(const double* partials, int count, double* total) {
  double acc = 0.0;
  for (int i = threadIdx.x; i < count; i += blockDim.x) acc += partials[i];
  acc = blockReduce<SumOp>(acc);
  if (threadIdx.x == 0) *total = acc;
}

}  // namespace

cudaError_t finishSum(const CostScratch& scratch, int blocks) {
  const cudaError_t launched = cudaGetLastError();
  if (launched != cudaSuccess) return launched;
  sumPartialsKernel<<<1, kBlock>>>(scratch.partials, blocks, scratch.total);
  return cudaGetLastError();
}

}  // namespace cost
}  // namespace puzzle
