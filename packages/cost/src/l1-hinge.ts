import { Blas, CostKernels, fmtShape, type GPUArray, kernels } from '@puzzle/backend';
import { fail, requireDType, verifyLabelRange } from './checks.js';
import { Cost } from './cost.js';

export type Pair = [GPUArray, GPUArray];

/**
 * L1 hinge on embedding pairs x1, x2 (N, D) with int32 labels (N,): 1 = similar, 0 = dissimilar; d = x1 − x2.
 * error = mean over the N·D elements of |d| (similar) or max(0, 1 − |d|) (dissimilar); the grads [g1, g2] are the
 * descent directions for x1 and x2 (g2 = −g1). validate: the fraction of pairs whose mean |d| ≤ 1 disagrees with
 * the label. Port of PuzzleLib/Cost/L1Hinge.py.
 * NOTE: PuzzleLib returns the true gradient here, with the opposite sign to every other cost; we return the
 * descent direction like the rest (port decision 1).
 */
export class L1Hinge extends Cost<Pair, GPUArray, Pair> {
  protected override readonly takesList = true;

  override checkDataShape(pair: Pair, labels: GPUArray): void {
    if (!Array.isArray(pair) || pair.length !== 2) fail(this.costName, 'expects a pair [x1, x2]');
    const [x1, x2] = pair;
    requireDType(this.costName, 'x1', x1, 'float32');
    requireDType(this.costName, 'x2', x2, 'float32');
    requireDType(this.costName, 'labels', labels, 'int32');
    const same = x1.ndim === 2 && x2.ndim === 2 && x1.shape[0] === x2.shape[0] && x1.shape[1] === x2.shape[1];
    if (!same) fail(this.costName, `x1 ${fmtShape(x1.shape)} and x2 ${fmtShape(x2.shape)} must be equal 2-D shapes`);
    if (labels.ndim !== 1 || labels.shape[0] !== x1.shape[0]) {
      fail(this.costName, `labels ${fmtShape(labels.shape)} do not match pairs ${fmtShape(x1.shape)} (expected (${x1.shape[0]},))`);
    }
  }

  override verifyLabels(pair: Pair, labels: GPUArray): void {
    verifyLabelRange(this.costName, labels, 0, 1, pair[0]);
  }

  override getBatchsize(pair: Pair): number {
    return pair[0].shape[0]!;
  }

  calcGrad([x1, x2]: Pair, labels: GPUArray): Pair {
    return CostKernels.l1Hinge(x1, x2, labels, 1 / x1.size, this.errorTarget(1 / x1.shape[1]!));
  }

  calcVal([x1, x2]: Pair, labels: GPUArray): number {
    const diff = Blas.addVectorToVector(x1, x2, { alpha: 1, beta: -1 });
    kernels.abs(diff, diff);
    const dist = Blas.sumOnMatrix(diff, { cols: false, alpha: 1 / x1.shape[1]! });
    const wrong = CostKernels.thresholdMismatch(dist, labels, 1, true);
    diff.dispose();
    dist.dispose();
    return wrong / x1.shape[0]!;
  }

  protected override disposeGrad(grad: Pair): void {
    grad.forEach((g) => g.dispose());
  }
}
