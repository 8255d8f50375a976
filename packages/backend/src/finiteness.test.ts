import { describeEngines, expectNoLeak } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BackendError } from './errors.js';
import { countNonFinite, nonFiniteCount } from './finiteness.js';
import { toGpu, zeros } from './gpuarray/gpuarray.js';
import { HostArray } from './host-array.js';
import { countOps } from './op-counter.js';
import { Rng } from './random.js';

/** Float values from a seeded generator with NaN, +Inf and −Inf planted at `at`, and the float64 count of them. */
function planted(n: number, at: number[], seed: number): { host: Float64Array; count: number } {
  const rng = new Rng(seed);
  const host = Float64Array.from({ length: n }, () => rng.normal() * 100);
  const specials = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  at.forEach((i, k) => (host[i] = specials[k % 3]!));
  return { host, count: host.reduce((c, v) => c + (Number.isFinite(v) ? 0 : 1), 0) };
}

describeEngines('countNonFinite and nonFiniteCount', () => {
  it('count NaN, +Inf and −Inf of float32 arrays, as a float64 loop does, and add into the counter', () => {
    expectNoLeak(() => {
      const { host, count } = planted(1001, [0, 7, 255, 256, 999, 1000], 1);
      const x = toGpu(HostArray.from(host, { shape: [7, 143] }));
      const clean = toGpu(HostArray.from(planted(300, [], 2).host));
      const counter = zeros([1], 'int32');
      countNonFinite(x, counter);
      expect(counter.get().data[0]).toBe(count);
      countNonFinite(x, counter);
      countNonFinite(clean, counter);
      expect(counter.get().data[0]).toBe(2 * count);
      expect(nonFiniteCount([clean])).toBe(0);
      expect(nonFiniteCount([x, clean, x])).toBe(2 * count);
      for (const a of [x, clean, counter]) a.dispose();
    });
  });

  it('count float16 values by their exponent (65504 is finite, 70000 rounds to Inf), and strided views', () => {
    expectNoLeak(() => {
      const values = [65504, -65504, 70000, Number.NaN, 1e-8, 0, -0, Number.NEGATIVE_INFINITY];
      const half = toGpu(HostArray.from(values, { dtype: 'float16' }));
      expect(nonFiniteCount([half])).toBe(3);
      const { host, count } = planted(60, [1, 21, 44], 3);
      const matrix = toGpu(HostArray.from(host, { shape: [6, 10] }));
      const column = matrix.slice(null, [1, 2]);
      expect(column.contiguous).toBe(false);
      const inColumn = [...host].filter((v, i) => i % 10 === 1 && !Number.isFinite(v)).length;
      expect(inColumn).toBe(2);
      expect(nonFiniteCount([column])).toBe(inColumn);
      expect(nonFiniteCount([matrix])).toBe(count);
      for (const a of [half, column, matrix]) a.dispose();
    });
  });

  it('wait for nothing until the counter is read: one engine call per array, then one read', () => {
    const x = toGpu(HostArray.from(planted(500, [3], 4).host));
    const counter = zeros([1], 'int32');
    const { counts } = countOps(() => {
      countNonFinite(x, counter);
      countNonFinite(x, counter);
    });
    expect(counts).toEqual({ calls: { countNonFinite: 2 }, total: 2, syncs: 0 });
    expect(countOps(() => nonFiniteCount([x, x])).counts.syncs).toBe(1);
    for (const a of [x, counter]) a.dispose();
  });

  it('refuse int32 arrays and a counter that is not one int32 element', () => {
    const x = zeros([3]);
    const labels = zeros([3], 'int32');
    const counter = zeros([1], 'int32');
    expect(() => countNonFinite(labels, counter)).toThrow(BackendError);
    expect(() => countNonFinite(x, x)).toThrow(/^countNonFinite: the counter must be one int32 element, got float32 \(3,\)$/);
    for (const a of [x, labels, counter]) a.dispose();
  });

  it('count over 16,777,549 values (past 65,536 blocks of 256 threads), values planted in the second grid pass', () => {
    expectNoLeak(() => {
      const n = 65_536 * 256 + 333;
      const host = new Float32Array(n);
      for (let i = 0; i < n; i++) host[i] = ((i * 2654435761) % 2001) / 1000 - 1;
      const at = [5, 65_536 * 256, n - 1, n - 200];
      at.forEach((i, k) => (host[i] = k % 2 === 0 ? Number.NaN : Number.POSITIVE_INFINITY));
      const x = toGpu(new HostArray(host, [n], 'float32'));
      expect(nonFiniteCount([x])).toBe(at.length);
      x.dispose();
    });
  });
});
