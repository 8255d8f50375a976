import { Blas, CostKernels, type GPUArray } from '@puzzle/backend';
import { requireDType, requireSameShape } from './checks.js';
import { Cost } from './cost.js';

/**
 * Mean squared error: error = Σ(target − pred)²/(2S) over the S elements of the batch; grad = (target − pred)/S.
 * Port of PuzzleLib/Cost/MSE.py.
 */
export class MSE extends Cost {
  override checkDataShape(pred: GPUArray, target: GPUArray): void {
    requireDType(this.costName, 'pred', pred, 'float32');
    requireDType(this.costName, 'target', target, 'float32');
    requireSameShape(this.costName, pred, target);
  }

  calcGrad(pred: GPUArray, target: GPUArray): GPUArray {
    // One fused kernel for grad and error, where PuzzleLib needs a vector add and a dot product.
    return CostKernels.mse(pred, target, 1 / pred.size, this.errorTarget(pred.shape[0]! / pred.size));
  }

  calcVal(pred: GPUArray, target: GPUArray): number {
    const diff = Blas.addVectorToVector(target, pred, { alpha: 1, beta: -1 });
    const error = Blas.dot(diff, diff) / (2 * pred.size);
    diff.dispose();
    return error;
  }
}
