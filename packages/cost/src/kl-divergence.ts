import { CostKernels, fmtShape, type GPUArray } from '@puzzle/backend';
import { fail, requireDType, requireSameShape } from './checks.js';
import { Cost } from './cost.js';
import { errorOnce } from './error-once.js';

export interface KLDivergenceOptions {
  /** When set, pred.shape[1] must equal it. */
  maxlabels?: number | null;
  /** Apply a softmax to each target sample first (else the target is used as a distribution as given). */
  normTarget?: boolean;
}

/**
 * Kullback-Leibler divergence KL(y ‖ x) per sample, with x = softmax of the flattened pred sample and y the target
 * (or its softmax when normTarget); y⁺ = max(y, 0). error = Σ y⁺·(log y − log x)/N;
 * grad = (y⁺ − x·Σ y⁺)/N, which is PuzzleLib's (y − x)/N whenever y is a distribution.
 * validate returns the same value. Port of PuzzleLib/Cost/KLDivergence.py.
 */
export class KLDivergence extends Cost {
  readonly maxlabels: number | null;
  readonly normTarget: boolean;

  constructor(opts: KLDivergenceOptions = {}) {
    super();
    this.maxlabels = opts.maxlabels ?? null;
    this.normTarget = opts.normTarget ?? false;
  }

  override checkDataShape(pred: GPUArray, target: GPUArray): void {
    requireDType(this.costName, 'pred', pred, 'float32');
    requireDType(this.costName, 'target', target, 'float32');
    requireSameShape(this.costName, pred, target);
    if (this.maxlabels !== null && pred.shape[1] !== this.maxlabels) {
      fail(this.costName, `pred ${fmtShape(pred.shape)} does not have maxlabels ${this.maxlabels} entries on axis 1`);
    }
  }

  calcGrad(pred: GPUArray, target: GPUArray): GPUArray {
    return CostKernels.klDivergence(pred, target, this.errorTarget(1), { normTarget: this.normTarget, gradNorm: 1 / pred.shape[0]! });
  }

  calcVal(pred: GPUArray, target: GPUArray): number {
    return errorOnce(1 / pred.shape[0]!, (into) => CostKernels.klDivergence(pred, target, into, { normTarget: this.normTarget, gradNorm: 1 }));
  }
}
