import { Blas, CostKernels, type GPUArray } from '@puzzle/backend';
import { requireDType, requireSameShape } from './checks.js';
import { Cost } from './cost.js';

/**
 * Mean absolute error: error = Σ|pred − target|/S; grad = (pred > target ? −1 : +1)/S.
 * Port of PuzzleLib/Cost/Abs.py.
 */
export class Abs extends Cost {
  override checkDataShape(pred: GPUArray, target: GPUArray): void {
    requireDType(this.costName, 'pred', pred, 'float32');
    requireDType(this.costName, 'target', target, 'float32');
    requireSameShape(this.costName, pred, target);
  }

  calcGrad(pred: GPUArray, target: GPUArray): GPUArray {
    return CostKernels.abs(pred, target, 1 / pred.size, this.errorTarget(pred.shape[0]! / pred.size));
  }

  calcVal(pred: GPUArray, target: GPUArray): number {
    const diff = Blas.addVectorToVector(pred, target, { alpha: 1, beta: -1 });
    const error = Blas.vectorL1Norm(diff) / pred.size;
    diff.dispose();
    return error;
  }
}
