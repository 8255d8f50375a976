import { CostKernels, fmtShape, type GPUArray } from '@puzzle/backend';
import { CostError } from './cost-error.js';

/** Shape checks shared by the costs; each throws a CostError that names the cost and the shapes involved. */
export function fail(cost: string, message: string): never {
  throw new CostError(`${cost}: ${message}`);
}

export function requireDType(cost: string, what: string, a: GPUArray, dtype: 'float32' | 'int32'): void {
  if (a.dtype !== dtype) fail(cost, `${what} must be ${dtype}, got ${a.dtype} ${fmtShape(a.shape)}`);
}

export function requireSameShape(cost: string, pred: GPUArray, target: GPUArray, names = ['pred', 'target']): void {
  const same = pred.ndim === target.ndim && pred.shape.every((d, i) => d === target.shape[i]);
  if (!same) fail(cost, `${names[0]} ${fmtShape(pred.shape)} and ${names[1]} ${fmtShape(target.shape)} differ in shape`);
}

export function requireSameBatch(cost: string, pred: GPUArray, target: GPUArray): void {
  if (pred.ndim === 0 || target.ndim === 0 || pred.shape[0] !== target.shape[0]) {
    fail(cost, `batch sizes differ: ${fmtShape(pred.shape)} vs ${fmtShape(target.shape)}`);
  }
}

/**
 * Scores (N, C, ...) against int32 labels (N, ...): the layout of CrossEntropy and SVM.
 * Returns the class count C.
 */
export function requireClassLayout(cost: string, scores: GPUArray, labels: GPUArray): number {
  requireDType(cost, 'scores', scores, 'float32');
  requireDType(cost, 'labels', labels, 'int32');
  const spatialOk = labels.ndim === scores.ndim - 1 && scores.shape.slice(2).every((d, i) => d === labels.shape[i + 1]);
  if (scores.ndim < 2 || !spatialOk) {
    fail(cost, `labels ${fmtShape(labels.shape)} do not fit scores ${fmtShape(scores.shape)} (expected labels (N, ...) for scores (N, C, ...))`);
  }
  return scores.shape[1]!;
}

/** Labels must lie in [low, high]: one reduction on the device (PuzzleLib's verifyData). */
export function verifyLabelRange(cost: string, labels: GPUArray, low: number, high: number, scores: GPUArray): void {
  if (labels.size === 0) return;
  const { min, max } = CostKernels.labelRange(labels);
  if (min < low || max > high) {
    const found = min < low ? min : max;
    fail(cost, `labels ${fmtShape(labels.shape)} must lie in [${low}, ${high}], found ${found} (scores ${fmtShape(scores.shape)})`);
  }
}
