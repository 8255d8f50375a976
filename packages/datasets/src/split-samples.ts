import { Rng } from '@puzzle/backend';
import { DatasetError } from './dataset-error.js';
import { takeSamples, type LabeledSet } from './labeled-set.js';

/** A permutation of 0..n-1 by a seeded Fisher-Yates shuffle. */
export function permutation(n: number, rng: Rng): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * Shuffles the samples (seeded, so the split is reproducible) and cuts disjoint sets of the given sizes, e.g.
 * `splitSamples(digits, [8000, 2000])` for a train/test split. The sizes may sum to less than the sample count.
 */
export function splitSamples(set: LabeledSet, sizes: readonly number[], opts: { seed?: number } = {}): LabeledSet[] {
  const n = set.data.shape[0]!;
  const total = sizes.reduce((a, b) => a + b, 0);
  if (sizes.some((s) => !Number.isInteger(s) || s < 0) || total > n) {
    throw new DatasetError(`splitSamples: sizes [${sizes.join(', ')}] do not fit ${n} samples`);
  }
  if (set.labels.shape[0] !== n) {
    throw new DatasetError(`splitSamples: ${n} samples but ${set.labels.shape[0]} labels`);
  }
  const order = permutation(n, new Rng(opts.seed ?? 0));
  let start = 0;
  return sizes.map((size) => {
    const part = takeSamples(set, order.subarray(start, start + size));
    start += size;
    return part;
  });
}
