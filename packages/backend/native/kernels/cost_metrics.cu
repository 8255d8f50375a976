// The counting kernels of the validation metrics and the label range. Counts are kept per thread as integers and
// summed in double (exact below 2^53); label extremes are int32, exact in double too.
#include <cstdint>

#include "cost_common.cuh"

namespace puzzle {
namespace cost {
namespace {

constexpr int64_t kElementsPerThread = 4;
// labelRange keeps [min, max] in partials[0..2), then one partial per block for each extreme behind them.
constexpr int kRangeResult = 2;
constexpr int kRangeBlocks = (kReducePartials - kRangeResult) / 2;

__global__ void labelMismatchKernel(const int32_t* predicted, const int32_t* labels, int64_t n, CostScratch scratch) {
  int64_t count = 0;
  for (int64_t i = firstIndex(); i < n; i += gridStride()) count += predicted[i] != labels[i] ? 1 : 0;
  storeBlockSum(static_cast<double>(count), scratch);
}

__global__ void thresholdMismatchKernel(const float* values, const int32_t* labels, int64_t n, float threshold,
                                        bool atMost, CostScratch scratch) {
  int64_t count = 0;
  for (int64_t i = firstIndex(); i < n; i += gridStride()) {
    const float v = values[i];
    const bool predicted = atMost ? v <= threshold : v > threshold;
    count += predicted != (labels[i] == 1) ? 1 : 0;
  }
  storeBlockSum(static_cast<double>(count), scratch);
}

/** Per block: the smallest label into mins[block], the largest into maxes[block] (±∞ for a block with none). */
__global__ void labelRangePartialsKernel(const int32_t* labels, int64_t n, double* mins, double* maxes) {
  double lo = MinOp::identity();
  double hi = MaxOp::identity();
  for (int64_t i = firstIndex(); i < n; i += gridStride()) {
    const double label = static_cast<double>(labels[i]);
    lo = fmin(lo, label);
    hi = fmax(hi, label);
  }
  lo = blockReduce<MinOp>(lo);
  hi = blockReduce<MaxOp>(hi);
  if (threadIdx.x == 0) {
    mins[blockIdx.x] = lo;
    maxes[blockIdx.x] = hi;
  }
}

/** One block: range[0] = min of the `count` mins, range[1] = max of the maxes (range overlaps neither). */
__global__ void labelRangeFinishKernel(const double* mins, const double* maxes, int count, double* range) {
  double lo = MinOp::identity();
  double hi = MaxOp::identity();
  for (int i = threadIdx.x; i < count; i += blockDim.x) {
    lo = fmin(lo, mins[i]);
    hi = fmax(hi, maxes[i]);
  }
  lo = blockReduce<MinOp>(lo);
  hi = blockReduce<MaxOp>(hi);
  if (threadIdx.x == 0) {
    range[0] = lo;
    range[1] = hi;
  }
}

}  // namespace
}  // namespace cost

cudaError_t launchLabelMismatchCount(const int32_t* predicted, const int32_t* labels, int64_t n,
                                     const CostScratch& scratch) {
  using namespace cost;
  const int blocks = costBlocks(n, kBlock * kElementsPerThread);
  PUZZLE_LAUNCH(blocks, kBlock, labelMismatchKernel)(predicted, labels, n, scratch);
  return launchStatus();
}

cudaError_t launchThresholdMismatchCount(const float* values, const int32_t* labels, int64_t n, float threshold,
                                         bool atMost, const CostScratch& scratch) {
  using namespace cost;
  const int blocks = costBlocks(n, kBlock * kElementsPerThread);
  PUZZLE_LAUNCH(blocks, kBlock, thresholdMismatchKernel)(values, labels, n, threshold, atMost, scratch);
  return launchStatus();
}

cudaError_t launchLabelRange(const int32_t* labels, int64_t n, const CostScratch& scratch) {
  using namespace cost;
  double* range = scratch.partials;
  double* mins = range + kRangeResult;
  double* maxes = mins + kRangeBlocks;
  const int blocks = costBlocks(n, kBlock * kElementsPerThread, kRangeBlocks);
  PUZZLE_LAUNCH(blocks, kBlock, labelRangePartialsKernel)(labels, n, mins, maxes);
  const cudaError_t launched = cudaGetLastError();
  if (launched != cudaSuccess) return launched;
  PUZZLE_LAUNCH(1, kBlock, labelRangeFinishKernel)(mins, maxes, blocks, range);
  return cudaGetLastError();
}

}  // namespace puzzle
