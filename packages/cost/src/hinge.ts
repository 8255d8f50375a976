import { CostKernels, type GPUArray } from '@puzzle/backend';
import { requireDType, requireSameShape, verifyLabelRange } from './checks.js';
import { Cost } from './cost.js';
import { errorOnce } from './error-once.js';

/**
 * Hinge loss on scores (N, C) with int32 labels y ∈ {−1, 1} of the same shape: error = mean over the S scores of
 * max(0, 1 − s·y); grad = y/S where s·y < 1, else 0. validate returns the same mean.
 * Port of PuzzleLib/Cost/Hinge.py.
 */
export class Hinge extends Cost {
  override checkDataShape(scores: GPUArray, labels: GPUArray): void {
    requireDType(this.costName, 'scores', scores, 'float32');
    requireDType(this.costName, 'labels', labels, 'int32');
    requireSameShape(this.costName, scores, labels, ['scores', 'labels']);
  }

  override verifyLabels(scores: GPUArray, labels: GPUArray): void {
    verifyLabelRange(this.costName, labels, -1, 1, scores);
  }

  calcGrad(scores: GPUArray, labels: GPUArray): GPUArray {
    return CostKernels.hinge(scores, labels, 1 / scores.size, this.errorTarget(scores.shape[0]! / scores.size));
  }

  calcVal(scores: GPUArray, labels: GPUArray): number {
    return errorOnce(1 / scores.size, (into) => CostKernels.hinge(scores, labels, 1 / scores.size, into));
  }
}
