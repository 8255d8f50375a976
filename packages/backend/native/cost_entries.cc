// The cost group's entries. A cost writes its grad(s) and leaves its scaled error in the caller's error slots on the
// device: a training step that does not ask for the error never waits for the GPU. A count returns a count and
// labelRange returns {min, max}: they leave their result in the reduction scratch (cost_kernels.h), and copying it to
// the host is the one synchronisation of each such call, and where an asynchronous kernel failure surfaces.
#include <cstdint>

#include "cost_entries.h"
#include "cost_kernels.h"
#include "cuda_check.h"
#include "device_state.h"
#include "kernels.h"
#include "op_codes.h"

namespace puzzle {

namespace {

CostScratch scratchOf(const DeviceState& s) {
  return CostScratch{s.reduceScratch, s.reduceScratch + kReducePartials, s.costTicket};
}

/** Checks the launches, then reads `count` doubles of the result at `src` into `dst` and waits for them. */
void readResult(cudaError_t launched, const char* what, const double* src, double* dst, size_t count) {
  checkCuda(launched, what);
  checkCuda(cudaMemcpyAsync(dst, src, count * sizeof(double), cudaMemcpyDeviceToHost, nullptr), "cudaMemcpyAsync");
  checkCuda(cudaStreamSynchronize(nullptr), what);
}

/** The total of a cost or count launched into scratch, through the pinned host slot. */
napi_value total(const Args& args, const DeviceState& s, cudaError_t launched, const char* what) {
  readResult(launched, what, s.reduceScratch + kReducePartials, s.hostResult, 1);
  return numberValue(args.env(), *s.hostResult);
}

/** A cost's scratch: its last two arguments are the error slots (two floats) and the error scale. */
CostScratch costScratchOf(const Args& args, const DeviceState& s, size_t slotsArg) {
  CostScratch scratch = scratchOf(s);
  scratch.errorSlots = static_cast<float*>(args.pointer(slotsArg));
  scratch.errorScale = args.number(slotsArg + 1);
  return scratch;
}

/** Checks the launches of a cost; the error stays on the device. */
napi_value launched(const Args& args, cudaError_t status, const char* what) {
  checkCuda(status, what);
  return undefinedValue(args.env());
}

const float* floats(const Args& args, size_t i) { return static_cast<const float*>(args.pointer(i)); }
float* grads(const Args& args, size_t i) { return static_cast<float*>(args.pointer(i)); }
const int32_t* ints(const Args& args, size_t i) { return static_cast<const int32_t*>(args.pointer(i)); }
float single(const Args& args, size_t i) { return static_cast<float>(args.number(i)); }

/**
 * costElementwise(kind, x, y, grad, count, gradNorm, slots, scale); y is the target (mse, abs, smoothL1) or the
 * labels (bce, hinge).
 */
napi_value costElementwise(const Args& args) {
  const DeviceState& s = readyDevice("costElementwise");
  const int kind = args.code(0);
  if (kind >= kElementwiseCostCount) fail("ERR_PUZZLE_ARGS", "unknown element-wise cost " + std::to_string(kind));
  ElementwiseCostArgs a;
  a.x = floats(args, 1);
  a.y = args.pointer(2);
  a.grad = grads(args, 3);
  a.n = args.count(4);
  a.gradNorm = single(args, 5);
  return launched(args, launchElementwiseCost(kind, a, costScratchOf(args, s, 6)), "element-wise cost kernel");
}

/** costL1Hinge(x1, x2, labels, g1, g2, rows, cols, gradNorm, slots, scale). */
napi_value costL1Hinge(const Args& args) {
  const DeviceState& s = readyDevice("costL1Hinge");
  L1HingeArgs a;
  a.x1 = floats(args, 0);
  a.x2 = floats(args, 1);
  a.labels = ints(args, 2);
  a.g1 = grads(args, 3);
  a.g2 = grads(args, 4);
  a.rows = args.count(5);
  a.cols = args.count(6);
  a.gradNorm = single(args, 7);
  return launched(args, launchL1HingeCost(a, costScratchOf(args, s, 8)), "l1Hinge cost kernel");
}

/** (scores, labels, grad, batch, classes, spatial, gradNorm) from argument `first` on, without weights. */
ClassCostArgs classCostArgs(const Args& args, size_t first) {
  ClassCostArgs a;
  a.scores = floats(args, first);
  a.labels = ints(args, first + 1);
  a.weights = nullptr;
  a.grad = grads(args, first + 2);
  a.batch = args.count(first + 3);
  a.classes = args.count(first + 4);
  a.spatial = args.count(first + 5);
  a.gradNorm = single(args, first + 6);
  return a;
}

/** costCrossEntropy(scores, labels, grad, batch, classes, spatial, gradNorm, weights, slots, scale); weights 0: 1s. */
napi_value costCrossEntropy(const Args& args) {
  const DeviceState& s = readyDevice("costCrossEntropy");
  ClassCostArgs a = classCostArgs(args, 0);
  a.weights = floats(args, 7);
  return launched(args, launchCrossEntropyCost(a, costScratchOf(args, s, 8)), "crossEntropy cost kernel");
}

/** costSvm(squared, scores, labels, grad, batch, classes, spatial, gradNorm, slots, scale). */
napi_value costSvm(const Args& args) {
  const DeviceState& s = readyDevice("costSvm");
  const cudaError_t status = launchSvmCost(args.flag(0), classCostArgs(args, 1), costScratchOf(args, s, 8));
  return launched(args, status, "svm cost kernel");
}

/** costKlDivergence(pred, target, grad, rows, cols, normTarget, gradNorm, slots, scale). */
napi_value costKlDivergence(const Args& args) {
  const DeviceState& s = readyDevice("costKlDivergence");
  KlDivergenceArgs a;
  a.pred = floats(args, 0);
  a.target = floats(args, 1);
  a.grad = grads(args, 2);
  a.rows = args.count(3);
  a.cols = args.count(4);
  a.normTarget = args.flag(5);
  a.gradNorm = single(args, 6);
  return launched(args, launchKlDivergenceCost(a, costScratchOf(args, s, 7)), "klDivergence cost kernel");
}

/** countLabelMismatch(predicted, labels, count) → count. */
napi_value countLabelMismatch(const Args& args) {
  const DeviceState& s = readyDevice("countLabelMismatch");
  return total(args, s, launchLabelMismatchCount(ints(args, 0), ints(args, 1), args.count(2), scratchOf(s)),
               "labelMismatch count kernel");
}

/** countThresholdMismatch(values, labels, count, threshold, atMost) → count; the threshold is compared in fp32. */
napi_value countThresholdMismatch(const Args& args) {
  const DeviceState& s = readyDevice("countThresholdMismatch");
  return total(args, s,
               launchThresholdMismatchCount(floats(args, 0), ints(args, 1), args.count(2), single(args, 3),
                                            args.flag(4), scratchOf(s)),
               "thresholdMismatch count kernel");
}

/** labelRange(labels, count) → {min, max}; ±Infinity for no labels. */
napi_value labelRange(const Args& args) {
  const DeviceState& s = readyDevice("labelRange");
  const CostScratch scratch = scratchOf(s);
  double range[2];
  readResult(launchLabelRange(ints(args, 0), args.count(1), scratch), "labelRange kernel", scratch.partials, range, 2);
  napi_value result;
  napi_create_object(args.env(), &result);
  setProperty(args.env(), result, "min", numberValue(args.env(), range[0]));
  setProperty(args.env(), result, "max", numberValue(args.env(), range[1]));
  return result;
}

}  // namespace

void registerCostEntries(napi_env env, napi_value exports) {
  defineFunction(env, exports, "costElementwise", entry<costElementwise>);
  defineFunction(env, exports, "costL1Hinge", entry<costL1Hinge>);
  defineFunction(env, exports, "costCrossEntropy", entry<costCrossEntropy>);
  defineFunction(env, exports, "costSvm", entry<costSvm>);
  defineFunction(env, exports, "costKlDivergence", entry<costKlDivergence>);
  defineFunction(env, exports, "countLabelMismatch", entry<countLabelMismatch>);
  defineFunction(env, exports, "countThresholdMismatch", entry<countThresholdMismatch>);
  defineFunction(env, exports, "labelRange", entry<labelRange>);
}

}  // namespace puzzle
