import { activeEngine, contiguousRefs, requireShape } from './checks.js';
import type { CostKernel, CostMetric, CostOps, ErrorSink } from './engine/cost-ops.js';
import type { ArrayRef } from './engine/engine.js';
import { ErrorAccumulator } from './error-accumulator.js';
import { BackendError, fmtShape } from './errors.js';
import type { GPUArray } from './gpuarray/gpu-array.js';
import { empty } from './gpuarray/gpuarray.js';
import { sameShape } from './shape.js';

export { ErrorAccumulator };

/**
 * Fused cost kernels (PuzzleLib Kernels/Costs). Each writes PuzzleLib's neg-grad scaled by `gradNorm` into a new
 * array (or `out`) and leaves scale·Σ of the per-element error in `into.errors` on the device (last, and added to the
 * total); the formulas are those of `CostKernel` in engine/cost-ops.ts. Nothing here waits for the device.
 */
export interface ErrorTarget {
  readonly errors: ErrorAccumulator;
  /** Factor on the summed per-element error; 1 when absent. */
  readonly scale?: number;
}

function sinkOf(op: string, into: ErrorTarget): ErrorSink {
  const scale = into.scale ?? 1;
  if (!Number.isFinite(scale)) throw new BackendError(op, `error scale must be finite, got ${scale}`);
  return { slots: contiguousRefs(op, into.errors.slots)[0]!, scale };
}

function costOps(op: string): CostOps {
  const engine = activeEngine();
  if (!engine.costs) throw new BackendError(op, `not implemented on the ${engine.name} engine`);
  return engine.costs;
}

function requireDType(op: string, what: string, a: GPUArray, dtype: 'float32' | 'int32'): void {
  if (a.dtype !== dtype) throw new BackendError(op, `${what} must be ${dtype}, got ${a.dtype} ${fmtShape(a.shape)}`);
}

function requireSameSize(op: string, a: GPUArray, b: GPUArray): void {
  if (a.size !== b.size) throw new BackendError(op, `sizes differ: ${fmtShape(a.shape)} vs ${fmtShape(b.shape)}`);
}

/** Runs `kernel` with a grad shaped like `like` (or `out`), disposing the grad if the engine fails. */
function withGrad(op: string, like: GPUArray, out: GPUArray | undefined, into: ErrorTarget, kernel: (grad: ArrayRef) => CostKernel): GPUArray {
  if (out) {
    requireShape(op, 'out', out, like.shape);
    requireDType(op, 'out', out, 'float32');
  }
  const ops = costOps(op);
  const sink = sinkOf(op, into);
  const grad = out ?? empty(like.shape, 'float32');
  try {
    ops.cost(kernel(contiguousRefs(op, grad)[0]!), sink);
    return grad;
  } catch (err) {
    if (!out) grad.dispose();
    throw err;
  }
}

function distance(kind: 'mse' | 'abs' | 'smoothL1', pred: GPUArray, target: GPUArray, gradNorm: number, into: ErrorTarget, out?: GPUArray): GPUArray {
  const op = `CostKernels.${kind}`;
  requireDType(op, 'pred', pred, 'float32');
  requireDType(op, 'target', target, 'float32');
  if (!sameShape(pred.shape, target.shape)) throw new BackendError(op, `pred ${fmtShape(pred.shape)} and target ${fmtShape(target.shape)} differ`);
  const [p, t] = contiguousRefs(op, pred, target);
  return withGrad(op, pred, out, into, (grad) => ({ kind, pred: p!, target: t!, grad, gradNorm }));
}

/** error Σ(pred − target)²/2; grad = gradNorm·(target − pred). */
export function mse(pred: GPUArray, target: GPUArray, gradNorm: number, into: ErrorTarget, out?: GPUArray): GPUArray {
  return distance('mse', pred, target, gradNorm, into, out);
}

/** error Σ|pred − target|; grad = gradNorm·(pred > target ? −1 : +1). */
export function abs(pred: GPUArray, target: GPUArray, gradNorm: number, into: ErrorTarget, out?: GPUArray): GPUArray {
  return distance('abs', pred, target, gradNorm, into, out);
}

/** error Σ Huber(pred − target); grad = −gradNorm·(|d| < 1 ? d : sign d). */
export function smoothL1(pred: GPUArray, target: GPUArray, gradNorm: number, into: ErrorTarget, out?: GPUArray): GPUArray {
  return distance('smoothL1', pred, target, gradNorm, into, out);
}

function scoresAndLabels(op: string, scores: GPUArray, labels: GPUArray): [ArrayRef, ArrayRef] {
  requireDType(op, 'scores', scores, 'float32');
  requireDType(op, 'labels', labels, 'int32');
  const [s, l] = contiguousRefs(op, scores, labels);
  return [s!, l!];
}

/** Binary cross-entropy on logits; labels ∈ {0, 1} paired with the scores by flat index. */
export function bce(scores: GPUArray, labels: GPUArray, gradNorm: number, into: ErrorTarget, out?: GPUArray): GPUArray {
  const op = 'CostKernels.bce';
  requireSameSize(op, scores, labels);
  const [s, l] = scoresAndLabels(op, scores, labels);
  return withGrad(op, scores, out, into, (grad) => ({ kind: 'bce', scores: s, labels: l, grad, gradNorm }));
}

/** Hinge loss with labels ∈ {−1, 1} of the scores' size. */
export function hinge(scores: GPUArray, labels: GPUArray, gradNorm: number, into: ErrorTarget, out?: GPUArray): GPUArray {
  const op = 'CostKernels.hinge';
  requireSameSize(op, scores, labels);
  const [s, l] = scoresAndLabels(op, scores, labels);
  return withGrad(op, scores, out, into, (grad) => ({ kind: 'hinge', scores: s, labels: l, grad, gradNorm }));
}

/** L1 hinge on pairs (rows, cols) with one label per row; returns the grads of x1 and x2. */
export function l1Hinge(x1: GPUArray, x2: GPUArray, labels: GPUArray, gradNorm: number, into: ErrorTarget): [GPUArray, GPUArray] {
  const op = 'CostKernels.l1Hinge';
  if (x1.ndim !== 2 || !sameShape(x1.shape, x2.shape)) throw new BackendError(op, `needs two equal 2-D shapes, got ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)}`);
  if (labels.size !== x1.shape[0]) throw new BackendError(op, `labels ${fmtShape(labels.shape)} do not match ${x1.shape[0]} rows`);
  requireDType(op, 'x2', x2, 'float32');
  const [a, l] = scoresAndLabels(op, x1, labels);
  const [b] = contiguousRefs(op, x2);
  const ops = costOps(op);
  const sink = sinkOf(op, into);
  const grads: [GPUArray, GPUArray] = [empty(x1.shape, 'float32'), empty(x1.shape, 'float32')];
  const [g1, g2] = contiguousRefs(op, ...grads);
  try {
    ops.cost({ kind: 'l1Hinge', x1: a, x2: b!, labels: l, g1: g1!, g2: g2!, cols: x1.shape[1]!, gradNorm }, sink);
    return grads;
  } catch (err) {
    grads.forEach((g) => g.dispose());
    throw err;
  }
}

/** (batch, classes, spatial) sizes of scores (N, C, ...) against labels (N, ...). */
function classLayout(op: string, scores: GPUArray, labels: GPUArray): { batch: number; classes: number; spatial: number } {
  const spatialShape = scores.shape.slice(2);
  if (scores.ndim < 2 || !sameShape(labels.shape, [scores.shape[0]!, ...spatialShape])) {
    throw new BackendError(op, `labels ${fmtShape(labels.shape)} do not fit scores ${fmtShape(scores.shape)}`);
  }
  return { batch: scores.shape[0]!, classes: scores.shape[1]!, spatial: spatialShape.reduce((p, d) => p * d, 1) };
}

/** Softmax cross-entropy over axis 1 of scores (N, C, ...) with int32 labels (N, ...) and optional class weights (C,). */
export function crossEntropy(
  scores: GPUArray,
  labels: GPUArray,
  into: ErrorTarget,
  opts: { gradNorm: number; weights?: GPUArray | null; out?: GPUArray },
): GPUArray {
  const op = 'CostKernels.crossEntropy';
  const layout = classLayout(op, scores, labels);
  const [s, l] = scoresAndLabels(op, scores, labels);
  let weights: ArrayRef | null = null;
  if (opts.weights) {
    requireDType(op, 'weights', opts.weights, 'float32');
    requireShape(op, 'weights', opts.weights, [layout.classes]);
    weights = contiguousRefs(op, opts.weights)[0]!;
  }
  return withGrad(op, scores, opts.out, into, (grad) => ({ kind: 'crossEntropy', scores: s, labels: l, weights, grad, gradNorm: opts.gradNorm, ...layout }));
}

/** One-vs-all SVM (l1: hinge, l2: squared hinge) over axis 1 of scores (N, C, ...) with int32 labels (N, ...). */
export function svm(scores: GPUArray, labels: GPUArray, into: ErrorTarget, opts: { mode: 'l1' | 'l2'; gradNorm: number; out?: GPUArray }): GPUArray {
  const op = 'CostKernels.svm';
  const layout = classLayout(op, scores, labels);
  const [s, l] = scoresAndLabels(op, scores, labels);
  return withGrad(op, scores, opts.out, into, (grad) => ({ kind: 'svm', mode: opts.mode, scores: s, labels: l, grad, gradNorm: opts.gradNorm, ...layout }));
}

/** KL(y ‖ softmax(pred)) per sample, pred and target viewed as (N, rest). */
export function klDivergence(
  pred: GPUArray,
  target: GPUArray,
  into: ErrorTarget,
  opts: { normTarget: boolean; gradNorm: number; out?: GPUArray },
): GPUArray {
  const op = 'CostKernels.klDivergence';
  requireDType(op, 'pred', pred, 'float32');
  requireDType(op, 'target', target, 'float32');
  if (pred.ndim < 1 || !sameShape(pred.shape, target.shape)) throw new BackendError(op, `pred ${fmtShape(pred.shape)} and target ${fmtShape(target.shape)} differ`);
  const [p, t] = contiguousRefs(op, pred, target);
  const rows = pred.shape[0]!;
  const cols = rows === 0 ? 0 : pred.size / rows;
  return withGrad(op, pred, opts.out, into, (grad) => ({ kind: 'klDivergence', pred: p!, target: t!, grad, rows, cols, normTarget: opts.normTarget, gradNorm: opts.gradNorm }));
}

function count(op: string, metric: CostMetric): number {
  return costOps(op).count(metric);
}

/** Σ [predicted ≠ labels] over two int32 arrays of one size. */
export function labelMismatch(predicted: GPUArray, labels: GPUArray): number {
  const op = 'CostKernels.labelMismatch';
  requireDType(op, 'predicted', predicted, 'int32');
  requireDType(op, 'labels', labels, 'int32');
  requireSameSize(op, predicted, labels);
  const [p, l] = contiguousRefs(op, predicted, labels);
  return count(op, { kind: 'labelMismatch', predicted: p!, labels: l! });
}

/** Σ [predicted ≠ (label = 1)] with predicted = values > threshold, or values ≤ threshold when `atMost`. */
export function thresholdMismatch(values: GPUArray, labels: GPUArray, threshold: number, atMost = false): number {
  const op = 'CostKernels.thresholdMismatch';
  requireSameSize(op, values, labels);
  const [v, l] = scoresAndLabels(op, values, labels);
  return count(op, { kind: 'thresholdMismatch', values: v, labels: l, threshold, atMost });
}

/** Smallest and largest label, for range verification. */
export function labelRange(labels: GPUArray): { min: number; max: number } {
  const op = 'CostKernels.labelRange';
  requireDType(op, 'labels', labels, 'int32');
  if (labels.size === 0) throw new BackendError(op, `needs at least one label, got ${fmtShape(labels.shape)}`);
  return costOps(op).labelRange(contiguousRefs(op, labels)[0]!);
}
