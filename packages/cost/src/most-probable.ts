import { argmax, type GPUArray } from '@puzzle/backend';

/** argmax over the class axis of scores (N, C, ...), shaped like the labels (N, ...). */
export function mostProbable(scores: GPUArray, labelShape: readonly number[]): GPUArray {
  const flat = scores.reshape(scores.shape[0]!, scores.shape[1]!, -1);
  const best = argmax(flat, 1);
  flat.dispose();
  const shaped = best.reshape([...labelShape]);
  best.dispose();
  return shaped;
}
