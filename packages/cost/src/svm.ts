import { CostKernels, type GPUArray } from '@puzzle/backend';
import { requireClassLayout } from './checks.js';
import { ClassCost } from './class-cost.js';

export type SVMMode = 'l1' | 'l2';

/**
 * One-vs-all SVM on scores (N, C, ...) with int32 class labels (N, ...). With cls = +1 on the label class and −1
 * elsewhere and e = max(0, 1 − s·cls): error = mean over the S scores of e (l1) or e² (l2);
 * grad = cls·[e > 0]/S (l1) or 2·cls·e/S (l2). validate: the fraction of label positions whose argmax class is
 * wrong. Port of PuzzleLib/Cost/SVM.py.
 * NOTE: PuzzleLib divides the grad by N·C only and the validation count by N only; with spatial dims that is not
 * the derivative of the error nor a rate, so both use the full counts here (port decision 2).
 */
export class SVM extends ClassCost {
  readonly mode: SVMMode;

  constructor(mode: SVMMode = 'l1') {
    super();
    this.mode = mode;
  }

  override checkDataShape(scores: GPUArray, labels: GPUArray): void {
    requireClassLayout(this.costName, scores, labels);
  }

  calcGrad(scores: GPUArray, labels: GPUArray): GPUArray {
    const into = this.errorTarget(scores.shape[0]! / scores.size);
    return CostKernels.svm(scores, labels, into, { mode: this.mode, gradNorm: 1 / scores.size });
  }
}
