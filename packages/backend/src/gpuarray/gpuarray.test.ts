import { describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BackendError, gpuarray } from '../index.js';

/** Float64 numpy-style concatenate of C-ordered blocks along `axis`. */
function concat64(parts: { f64: Float64Array; shape: number[] }[], axis: number): Float64Array {
  const outer = parts[0]!.shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const chunk = p.shape.slice(axis).reduce((x, d) => x * d, 1);
      out.push(...p.f64.slice(o * chunk, (o + 1) * chunk));
    }
  }
  return Float64Array.from(out);
}

describeEngines('gpuarray', () => {
  for (const axis of [0, 1, 2]) {
    it(`concatenate and split along axis ${axis} invert each other`, () => {
      expectNoLeak(() => {
        const sizes = [1, 3, 2];
        const parts = sizes.map((n, i) => {
          const shape = [2, 3, 4];
          shape[axis] = n;
          return { ...randomData(shape, 10 + i), shape };
        });
        const arrays = parts.map((p) => gpuarray.toGpu(p.host));
        const joined = gpuarray.concatenate(arrays, axis);
        const expectedShape = [2, 3, 4];
        expectedShape[axis] = 6;
        expect(joined.shape).toEqual(expectedShape);
        expectClose(joined.get().data, concat64(parts, axis), TOLERANCES.float32);
        const pieces = gpuarray.split(joined, sizes, axis);
        pieces.forEach((p, i) => {
          expect(p.shape).toEqual(parts[i]!.shape);
          expectClose(p.get().data, parts[i]!.f64, TOLERANCES.float32);
        });
        for (const x of [...arrays, joined, ...pieces]) x.dispose();
      });
    });
  }

  it('tile repeats along an axis (PuzzleLib semantics, not numpy tile)', () => {
    const f = randomData([2, 3], 20);
    const a = gpuarray.toGpu(f.host);
    const t = gpuarray.tile(a, 3, 1);
    expect(t.shape).toEqual([2, 9]);
    expectClose(t.get().data, concat64([f, f, f].map((p) => ({ f64: p.f64, shape: [2, 3] })), 1), TOLERANCES.float32);
    a.dispose();
    t.dispose();
  });

  it('rejects bad sections, mismatched shapes and dtypes, naming them', () => {
    const a = gpuarray.zeros([2, 5]);
    const b = gpuarray.zeros([3, 4]);
    const c = gpuarray.zeros([2, 5], 'int32');
    expect(() => gpuarray.split(a, [2, 2], 1)).toThrow(/\[2, 2\].*5.*\(2, 5\)/);
    expect(() => gpuarray.concatenate([a, b], 1)).toThrow(/\(2, 5\).*\(3, 4\)/);
    expect(() => gpuarray.concatenate([a, c], 0)).toThrow(BackendError);
    expect(() => gpuarray.concatenate([a], 3)).toThrow(/axis 3/);
    for (const x of [a, b, c]) x.dispose();
  });

  it('copy(null, src) makes a fresh array; copy(dest, src) sets dest', () => {
    const f = randomData([4], 21);
    const a = gpuarray.toGpu(f.host);
    const fresh = gpuarray.copy(null, a);
    expect(fresh.sharesStorageWith(a)).toBe(false);
    const dest = gpuarray.zeros([4]);
    expect(gpuarray.copy(dest, a)).toBe(dest);
    expectClose(dest.get().data, f.f64, TOLERANCES.float32);
    for (const x of [a, fresh, dest]) x.dispose();
  });

  it('reductions return host numbers', () => {
    const f = randomData([50], 22);
    const a = gpuarray.toGpu(f.host);
    expect(gpuarray.sum(a)).toBeCloseTo(f.f64.reduce((s, v) => s + v, 0), 4);
    expect(gpuarray.minimum(a)).toBeCloseTo(Math.min(...f.f64), 6);
    expect(gpuarray.maximum(a)).toBeCloseTo(Math.max(...f.f64), 6);
    a.dispose();
  });

  it('toGpu of something that is not a HostArray names it (a plain array read "Cannot read properties of undefined")', () => {
    expect(() => gpuarray.toGpu([1, 2, 3] as never)).toThrow(BackendError);
    expect(() => gpuarray.toGpu([1, 2, 3] as never)).toThrow(/^gpuarray\.toGpu: expects a HostArray, got an array of 3 \(make one with HostArray\.from\(values, \{ shape \}\)\)$/);
    const onDevice = gpuarray.zeros([2]);
    expect(() => gpuarray.toGpu(onDevice as never)).toThrow(/got a GPUArray \(2,\) float32 \(it is on the device already\)$/);
    onDevice.dispose();
  });
});
