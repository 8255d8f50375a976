import { CostKernels, type GPUArray } from '@puzzle/backend';
import { requireDType, requireSameShape } from './checks.js';
import { Cost } from './cost.js';
import { errorOnce } from './error-once.js';

/**
 * Smooth L1 (Huber with δ = 1): d = pred − target, error = mean(|d| < 1 ? d²/2 : |d| − 1/2) over the S elements;
 * grad = −(|d| < 1 ? d : sign d)/S. Port of PuzzleLib/Cost/SmoothL1.py.
 * NOTE: PuzzleLib returns +d/S here (the true gradient, unlike every other cost); we return the descent direction
 * like the rest (port decision 1).
 */
export class SmoothL1 extends Cost {
  override checkDataShape(pred: GPUArray, target: GPUArray): void {
    requireDType(this.costName, 'pred', pred, 'float32');
    requireDType(this.costName, 'target', target, 'float32');
    requireSameShape(this.costName, pred, target);
  }

  calcGrad(pred: GPUArray, target: GPUArray): GPUArray {
    return CostKernels.smoothL1(pred, target, 1 / pred.size, this.errorTarget(pred.shape[0]! / pred.size));
  }

  calcVal(pred: GPUArray, target: GPUArray): number {
    return errorOnce(1 / pred.size, (into) => CostKernels.smoothL1(pred, target, 1 / pred.size, into));
  }
}
