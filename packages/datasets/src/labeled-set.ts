import { HostArray } from '@puzzle/backend';
import { DatasetError } from './dataset-error.js';

/** Samples on the host: `data` (N, ...) float32 and `labels` (N,) int32, sample i of one matching sample i of the other. */
export interface LabeledSet {
  data: HostArray;
  labels: HostArray;
}

/** The samples at `indices`, in that order, copied into a new set. */
export function takeSamples(set: LabeledSet, indices: ArrayLike<number>): LabeledSet {
  if (set.data.dtype !== 'float32' || set.labels.dtype !== 'int32') {
    throw new DatasetError(`takeSamples: expects float32 data and int32 labels, got ${set.data.dtype} and ${set.labels.dtype}`);
  }
  const n = set.data.shape[0]!;
  const sampleSize = set.data.size / Math.max(n, 1);
  const data = new Float32Array(indices.length * sampleSize);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new DatasetError(`takeSamples: index ${i} is out of range for ${n} samples`);
    data.set(set.data.data.subarray(i * sampleSize, (i + 1) * sampleSize), k * sampleSize);
    labels[k] = set.labels.data[i]!;
  }
  return {
    data: new HostArray(data, [indices.length, ...set.data.shape.slice(1)], 'float32'),
    labels: new HostArray(labels, [indices.length], 'int32'),
  };
}
