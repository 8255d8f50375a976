// Host launchers of the fused cost kernels (kernels/cost_*.cu), PuzzleLib's Kernels/Costs; the formulas are those of
// CostKernel in src/engine/cost-ops.ts. Like kernels.h they enqueue on the legacy default stream, never synchronise,
// and return the launch status.
//
// How a total is formed: the cost kernel's block b adds its threads' errors in double and stores the block's sum in
// scratch.partials[b] (at most kReducePartials blocks); the block that finishes last (an integer ticket counts them)
// then adds the partials in block order into scratch.total, in the same launch. No float atomics, so the same inputs
// give the same total bit for bit. Counts go the same way (exact in double). Scores and grads are contiguous
// float32, labels contiguous int32, math is fp32 as in the tfjs reference.
// A grad may alias the input it is shaped like: every element is read before the thread that owns it writes it.
#pragma once
#include <cuda_runtime_api.h>

#include <cstdint>

namespace puzzle {

/**
 * Where a cost or count leaves its result on the device: kReducePartials block partials, then the total. A cost also
 * names its caller's error slots (two floats): the finishing sum sets slots[0] = errorScale·total and adds the same to
 * slots[1], so the error stays on the device until someone asks for it.
 */
struct CostScratch {
  double* partials;
  double* total;
  unsigned int* ticket;  // zero between launches; the last block resets it
  float* errorSlots = nullptr;
  double errorScale = 1.0;
};

/** mse, abs, smoothL1 (y: float32 target), bce, hinge (y: int32 labels); kind is an ElementwiseCostCode. */
struct ElementwiseCostArgs {
  const float* x;
  const void* y;
  float* grad;
  int64_t n;
  float gradNorm;
};
cudaError_t launchElementwiseCost(int kind, const ElementwiseCostArgs& a, const CostScratch& scratch);

/** x1, x2, g1, g2 are (rows, cols); one label per row. */
struct L1HingeArgs {
  const float* x1;
  const float* x2;
  const int32_t* labels;
  float* g1;
  float* g2;
  int64_t rows;
  int64_t cols;
  float gradNorm;
};
cudaError_t launchL1HingeCost(const L1HingeArgs& a, const CostScratch& scratch);

/** Scores and grad (batch, classes, spatial), labels (batch, spatial); weights (classes) or null for all 1. */
struct ClassCostArgs {
  const float* scores;
  const int32_t* labels;
  const float* weights;  // crossEntropy only
  float* grad;
  int64_t batch;
  int64_t classes;
  int64_t spatial;
  float gradNorm;
};
/**
 * A label outside [0, classes) (the caller's bug) is never used as an address: it has no one-hot class (error 0,
 * grad −gradNorm·p, as tfjs's oneHot gives) and, with weights, weight 0.
 */
cudaError_t launchCrossEntropyCost(const ClassCostArgs& a, const CostScratch& scratch);
/** squared: the l2 mode (error e², grad 2·cls·e), else l1. */
cudaError_t launchSvmCost(bool squared, const ClassCostArgs& a, const CostScratch& scratch);

/** pred, target and grad (rows, cols); the softmax runs along each row. */
struct KlDivergenceArgs {
  const float* pred;
  const float* target;
  float* grad;
  int64_t rows;
  int64_t cols;
  bool normTarget;
  float gradNorm;
};
cudaError_t launchKlDivergenceCost(const KlDivergenceArgs& a, const CostScratch& scratch);

/** total = Σ [predicted ≠ labels]. */
cudaError_t launchLabelMismatchCount(const int32_t* predicted, const int32_t* labels, int64_t n,
                                     const CostScratch& scratch);
/** total = Σ [(atMost ? v ≤ threshold : v > threshold) ≠ (label = 1)]. */
cudaError_t launchThresholdMismatchCount(const float* values, const int32_t* labels, int64_t n, float threshold,
                                         bool atMost, const CostScratch& scratch);
/**
 * scratch.partials[0] = the smallest label, [1] = the largest (+∞ and −∞ when n = 0); the rest of the partials hold
 * the per-block values on the way.
 */
cudaError_t launchLabelRange(const int32_t* labels, int64_t n, const CostScratch& scratch);

}  // namespace puzzle
