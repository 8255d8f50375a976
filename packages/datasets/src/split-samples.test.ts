import { HostArray } from '@puzzle/backend';
import { describe, expect, it } from 'vitest';
import { DatasetError } from './dataset-error.js';
import type { LabeledSet } from './labeled-set.js';
import { splitSamples } from './split-samples.js';

/** Sample i holds the values i·10 + k, and label i, so every sample can be traced back. */
function traceable(n: number): LabeledSet {
  const data = Float32Array.from({ length: n * 4 }, (_, j) => Math.floor(j / 4) * 10 + (j % 4));
  return { data: new HostArray(data, [n, 1, 2, 2], 'float32'), labels: new HostArray(Int32Array.from({ length: n }, (_, i) => i), [n], 'int32') };
}

describe('splitSamples', () => {
  it('cuts disjoint shuffled sets that keep data and label together', () => {
    const [a, b] = splitSamples(traceable(50), [30, 15], { seed: 3 });
    expect(a!.data.shape).toEqual([30, 1, 2, 2]);
    expect(b!.labels.shape).toEqual([15]);
    const seen = new Set<number>();
    for (const part of [a!, b!]) {
      part.labels.data.forEach((label, k) => {
        expect(Array.from(part.data.data.subarray(k * 4, k * 4 + 4))).toEqual([0, 1, 2, 3].map((c) => label * 10 + c));
        seen.add(label);
      });
    }
    expect(seen.size).toBe(45);
    expect(Array.from(a!.labels.data)).not.toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('is reproducible for a seed and differs between seeds', () => {
    const labels = (seed: number) => Array.from(splitSamples(traceable(40), [40], { seed })[0]!.labels.data);
    expect(labels(1)).toEqual(labels(1));
    expect(labels(1)).not.toEqual(labels(2));
    expect([...labels(1)].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('rejects sizes that do not fit', () => {
    expect(() => splitSamples(traceable(10), [8, 3])).toThrow(DatasetError);
    expect(() => splitSamples(traceable(10), [8, 3])).toThrow(/\[8, 3\] do not fit 10 samples/);
    expect(() => splitSamples(traceable(10), [-1])).toThrow(DatasetError);
  });
});
