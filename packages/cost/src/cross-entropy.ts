import { CostKernels, fmtShape, gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import { fail, requireClassLayout } from './checks.js';
import { ClassCost } from './class-cost.js';

export interface CrossEntropyOptions {
  /** When set, the class count the scores must have. */
  maxlabels?: number | null;
  /** Per-class weights (C,): a device array (borrowed) or host values (uploaded and owned). */
  weights?: GPUArray | HostArray | ArrayLike<number> | null;
}

/**
 * Softmax cross-entropy on scores (N, C, ...) with int32 class labels (N, ...): p = softmax over axis 1 at each
 * spatial position, w = weights[label] (1 without weights). error = mean over the N·M label positions of
 * −w·log p[label]; grad = w·(onehot − p)/(N·M). validate: the fraction of positions whose argmax is not the label
 * (the argmax is kept in `mostProb`). Port of PuzzleLib/Cost/CrossEntropy.py.
 * NOTE: PuzzleLib divides the grad by N only and weights it by the class of each grad element; both make it
 * differ from the derivative of the error, which is what is computed here (port decision 2).
 */
export class CrossEntropy extends ClassCost {
  readonly maxlabels: number | null;
  readonly weights: GPUArray | null;
  private readonly ownsWeights: boolean;

  constructor(opts: CrossEntropyOptions = {}) {
    super();
    this.maxlabels = opts.maxlabels ?? null;
    const w = opts.weights ?? null;
    // Host values are checked before they are uploaded, so a rejected vector leaves nothing allocated.
    const given = w === null || w instanceof GPUArray || w instanceof HostArray ? w : HostArray.from(w);
    if (given && (given.shape.length !== 1 || given.dtype !== 'float32')) {
      fail(this.costName, `weights must be a float32 vector, got ${given.dtype} ${fmtShape(given.shape)}`);
    }
    this.ownsWeights = given instanceof HostArray;
    this.weights = given instanceof HostArray ? gpuarray.toGpu(given) : given;
  }

  override checkDataShape(scores: GPUArray, labels: GPUArray): void {
    this.checkValDataShape(scores, labels);
    if (this.weights && this.weights.size !== scores.shape[1]) {
      fail(this.costName, `weights ${fmtShape(this.weights.shape)} do not match the ${scores.shape[1]} classes of scores ${fmtShape(scores.shape)}`);
    }
  }

  override checkValDataShape(scores: GPUArray, labels: GPUArray): void {
    const classes = requireClassLayout(this.costName, scores, labels);
    if (this.maxlabels !== null && classes !== this.maxlabels) {
      fail(this.costName, `scores ${fmtShape(scores.shape)} have ${classes} classes, expected maxlabels ${this.maxlabels}`);
    }
  }

  calcGrad(scores: GPUArray, labels: GPUArray): GPUArray {
    const positions = labels.size;
    const into = this.errorTarget(scores.shape[0]! / positions);
    return CostKernels.crossEntropy(scores, labels, into, { weights: this.weights, gradNorm: 1 / positions });
  }

  override dispose(): void {
    super.dispose();
    if (this.ownsWeights) this.weights?.dispose();
  }
}
