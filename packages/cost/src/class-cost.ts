import { argmax, CostKernels, type GPUArray } from '@puzzle/backend';
import { verifyLabelRange } from './checks.js';
import { Cost } from './cost.js';

/**
 * What the classifiers over scores (N, C, ...) with int32 class labels (N, ...) share: labels must lie in [0, C),
 * and validate() is the fraction of label positions whose argmax class is wrong, the argmax kept in `mostProb`.
 */
export abstract class ClassCost extends Cost {
  /** argmax classes of the last validate(), shaped like the labels. */
  mostProb: GPUArray | null = null;

  override verifyLabels(scores: GPUArray, labels: GPUArray): void {
    verifyLabelRange(this.costName, labels, 0, scores.shape[1]! - 1, scores);
  }

  calcVal(scores: GPUArray, labels: GPUArray): number {
    this.mostProb?.dispose();
    this.mostProb = mostProbable(scores, labels.shape);
    return CostKernels.labelMismatch(this.mostProb, labels) / labels.size;
  }

  override reset(): void {
    super.reset();
    this.mostProb?.dispose();
    this.mostProb = null;
  }
}

/** argmax over the class axis of scores (N, C, ...), shaped like the labels (N, ...). */
function mostProbable(scores: GPUArray, labelShape: readonly number[]): GPUArray {
  const flat = scores.reshape(scores.shape[0]!, scores.shape[1]!, -1);
  const best = argmax(flat, 1);
  flat.dispose();
  const shaped = best.reshape([...labelShape]);
  best.dispose();
  return shaped;
}
