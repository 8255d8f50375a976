// The cost kernels over a softmax: crossEntropy (softmax over the classes of (batch, classes, spatial)) and
// klDivergence (softmax along the rows of (rows, cols)). Softmaxes are shifted by the maximum so exp cannot overflow.
//
// Two layouts, as in dnn_softmax.cu. Contiguous rows (crossEntropy with spatial = 1, every klDivergence): one warp
// per row, lanes split the row and warp shuffles combine the maximum and the sums. Otherwise one thread per
// (sample, position), whose classes lie `spatial` apart (neighbouring threads read neighbouring positions).
// In the last pass over a row each lane reads an element, then writes the grad at that element alone, so a grad that
// aliases its input is safe. Warps and threads loop with a grid stride; no thread returns early, because every
// thread takes part in the closing block reduction.
#include "cost_common.cuh"

namespace puzzle {
namespace cost {
namespace {

/** (warp index over the grid, warp count of the grid) for warp-per-row loops. */
__device__ __forceinline__ int64_t gridWarp() {
  return blockIdx.x * static_cast<int64_t>(kWarpsPerBlock) + (threadIdx.x >> 5);
}
__device__ __forceinline__ int64_t gridWarps() { return static_cast<int64_t>(gridDim.x) * kWarpsPerBlock; }

/** What crossEntropy needs of one position: its label, the label's weight and the softmax's shift and sum. */
struct ClassSoftmax {
  int32_t label;
  float weight;
  float top;   // the maximum score
  float sum;   // Σ exp(score − top)
  float logSum;
};

/** The label's weight: 1 without weights; 0 for a label out of range, which then has no one-hot class either. */
__device__ __forceinline__ float labelWeight(const ClassCostArgs& a, int32_t label) {
  if (!a.weights) return 1.f;
  return label >= 0 && label < a.classes ? a.weights[label] : 0.f;
}

/** Writes the grad of class `cls` and returns its error term (nonzero on the label class only). */
__device__ __forceinline__ float crossEntropyTerm(const ClassCostArgs& a, const ClassSoftmax& m, int64_t cls,
                                                  int64_t at) {
  const float shifted = a.scores[at] - m.top;
  const bool hot = cls == m.label;
  const float p = expf(shifted) / m.sum;
  a.grad[at] = ((hot ? 1.f : 0.f) - p) * m.weight * a.gradNorm;
  return hot ? -m.weight * (shifted - m.logSum) : 0.f;
}

/** spatial = 1: warp per sample row of `classes` contiguous scores. */
__global__ void crossEntropyRowsKernel(ClassCostArgs a, CostScratch scratch) {
  const int lane = threadIdx.x & 31;
  const int64_t rows = a.classes == 0 ? 0 : a.batch;
  double error = 0.0;
  for (int64_t row = gridWarp(); row < rows; row += gridWarps()) {
    const int64_t base = row * a.classes;
    ClassSoftmax m;
    m.label = a.labels[row];
    m.weight = labelWeight(a, m.label);
    m.top = -INFINITY;
    for (int64_t c = lane; c < a.classes; c += 32) m.top = fmaxf(m.top, a.scores[base + c]);
    m.top = warpMaxAll(m.top);
    m.sum = 0.f;
    for (int64_t c = lane; c < a.classes; c += 32) m.sum += expf(a.scores[base + c] - m.top);
    m.sum = warpSumAll(m.sum);
    m.logSum = logf(m.sum);
    for (int64_t c = lane; c < a.classes; c += 32) error += crossEntropyTerm(a, m, c, base + c);
  }
  storeBlockSum(error, scratch);
}

/** spatial > 1: thread per (sample, position); class c of it is `spatial` elements after class c − 1. */
__global__ void crossEntropyColumnsKernel(ClassCostArgs a, CostScratch scratch) {
  const int64_t positions = a.classes == 0 ? 0 : a.batch * a.spatial;
  double error = 0.0;
  for (int64_t p = firstIndex(); p < positions; p += gridStride()) {
    const int64_t sample = p / a.spatial;
    const int64_t base = sample * a.classes * a.spatial + (p - sample * a.spatial);
    ClassSoftmax m;
    m.label = a.labels[p];  // labels are (batch, spatial): p is the flat index
    m.weight = labelWeight(a, m.label);
    m.top = -INFINITY;
    for (int64_t c = 0; c < a.classes; c++) m.top = fmaxf(m.top, a.scores[base + c * a.spatial]);
    m.sum = 0.f;
    for (int64_t c = 0; c < a.classes; c++) m.sum += expf(a.scores[base + c * a.spatial] - m.top);
    m.logSum = logf(m.sum);
    for (int64_t c = 0; c < a.classes; c++) error += crossEntropyTerm(a, m, c, base + c * a.spatial);
  }
  storeBlockSum(error, scratch);
}

/**
 * Warp per row. x = softmax(pred), y = softmax(target) or target; y⁺ = max(y, 0). Error Σ y⁺·(log y − log x) over
 * y⁺ > 0 (where log y is defined); grad = gradNorm·(y⁺ − x·Σ_row y⁺).
 */
__global__ void klDivergenceKernel(KlDivergenceArgs a, CostScratch scratch) {
  const int lane = threadIdx.x & 31;
  double error = 0.0;
  for (int64_t row = gridWarp(); row < a.rows; row += gridWarps()) {
    const float* pred = a.pred + row * a.cols;
    const float* target = a.target + row * a.cols;
    float* grad = a.grad + row * a.cols;
    float predTop = -INFINITY;
    float targetTop = -INFINITY;
    for (int64_t c = lane; c < a.cols; c += 32) {
      predTop = fmaxf(predTop, pred[c]);
      if (a.normTarget) targetTop = fmaxf(targetTop, target[c]);
    }
    predTop = warpMaxAll(predTop);
    targetTop = warpMaxAll(targetTop);
    float predSum = 0.f;
    float targetSum = 0.f;
    float mass = 0.f;  // Σ y⁺ of a raw target
    for (int64_t c = lane; c < a.cols; c += 32) {
      predSum += expf(pred[c] - predTop);
      if (a.normTarget) targetSum += expf(target[c] - targetTop);
      else mass += fmaxf(target[c], 0.f);
    }
    predSum = warpSumAll(predSum);
    targetSum = warpSumAll(targetSum);
    mass = a.normTarget ? 1.f : warpSumAll(mass);  // a softmax is positive and sums to 1
    const float predLogSum = logf(predSum);
    const float targetLogSum = logf(targetSum);
    for (int64_t c = lane; c < a.cols; c += 32) {
      // Shifted values first: x = e^shift / sum and log x = shift − log sum round less than going through log x.
      const float predShift = pred[c] - predTop;
      const float x = expf(predShift) / predSum;
      const float logX = predShift - predLogSum;
      const float t = target[c];
      const float targetShift = t - targetTop;
      const float y = a.normTarget ? expf(targetShift) / targetSum : t;
      const float yPos = y > 0.f ? y : 0.f;
      if (yPos > 0.f) {
        const float logY = a.normTarget ? targetShift - targetLogSum : logf(y);
        error += static_cast<double>(yPos * (logY - logX));
      }
      grad[c] = (yPos - x * mass) * a.gradNorm;
    }
  }
  storeBlockSum(error, scratch);
}

}  // namespace
}  // namespace cost

cudaError_t launchCrossEntropyCost(const ClassCostArgs& a, const CostScratch& scratch) {
  using namespace cost;
  int blocks;
  if (a.spatial == 1) {
    blocks = costBlocks(a.batch, kWarpsPerBlock);
    PUZZLE_LAUNCH(blocks, kBlock, crossEntropyRowsKernel)(a, scratch);
  } else {
    blocks = costBlocks(a.batch * a.spatial, kBlock);
    PUZZLE_LAUNCH(blocks, kBlock, crossEntropyColumnsKernel)(a, scratch);
  }
  return launchStatus();
}

cudaError_t launchKlDivergenceCost(const KlDivergenceArgs& a, const CostScratch& scratch) {
  using namespace cost;
  const int blocks = costBlocks(a.rows, kWarpsPerBlock);
  PUZZLE_LAUNCH(blocks, kBlock, klDivergenceKernel)(a, scratch);
  return launchStatus();
}

}  // namespace puzzle
