import { CostKernels, fmtShape, type GPUArray } from '@puzzle/backend';
import { fail, requireDType, verifyLabelRange } from './checks.js';
import { Cost } from './cost.js';

/**
 * Binary cross-entropy on logits s with int32 labels y ∈ {0, 1}: scores (N, 1) with labels (N,), or scores
 * (N, ...) with labels (N, ...) of the same per-sample size. error = mean over the S scores of
 * −y·log σ(s) − (1 − y)·log(1 − σ(s)); grad = (y − σ(s))/S. validate: the fraction of scores on the wrong side
 * of 0. Port of PuzzleLib/Cost/BCE.py.
 */
export class BCE extends Cost {
  override checkDataShape(scores: GPUArray, labels: GPUArray): void {
    requireDType(this.costName, 'scores', scores, 'float32');
    requireDType(this.costName, 'labels', labels, 'int32');
    const perSample = (a: GPUArray) => a.shape.slice(1).reduce((p, d) => p * d, 1);
    const column = scores.ndim === 2 && scores.shape[1] === 1;
    const ok = column ? labels.ndim === 1 : perSample(scores) === perSample(labels);
    if (!ok) fail(this.costName, `labels ${fmtShape(labels.shape)} do not fit scores ${fmtShape(scores.shape)}`);
  }

  override verifyLabels(scores: GPUArray, labels: GPUArray): void {
    verifyLabelRange(this.costName, labels, 0, 1, scores);
  }

  calcGrad(scores: GPUArray, labels: GPUArray): GPUArray {
    return CostKernels.bce(scores, labels, 1 / scores.size, this.errorTarget(scores.shape[0]! / scores.size));
  }

  calcVal(scores: GPUArray, labels: GPUArray): number {
    return CostKernels.thresholdMismatch(scores, labels, 0) / scores.size;
  }
}
