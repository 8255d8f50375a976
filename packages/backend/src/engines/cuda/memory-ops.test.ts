// Transfers, views, copies, fills and casts on every engine. They matter most for cuda, whose strided paths
// (plain memcpy, pitched memcpy, gather/scatter kernel, staged overlap) are chosen by layout; running them on tfjs
// too checks the references themselves.
import { describeEngines, expectNoLeak } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { gpuarray, HostArray, type DType, type SliceRange } from '../../index.js';

const SHAPE = [10, 10, 10];
const DTYPES: DType[] = ['float32', 'float16', 'int32'];

/** Views of SHAPE reaching each copy path of the cuda engine once its axes are merged. */
const VIEWS: { name: string; ranges: SliceRange[] }[] = [
  { name: 'contiguous block a[3]', ranges: [3] },
  { name: 'pitched a[:, :, :6]', ranges: [null, null, [0, 6]] },
  { name: 'pitched a[:, :6, :]', ranges: [null, [0, 6], null] },
  { name: 'pitched a[:, 3]', ranges: [null, 3] },
  { name: 'gathered a[:, :6, :6]', ranges: [null, [0, 6], [0, 6]] },
  { name: 'gathered a[:, :, 4]', ranges: [null, null, 4] },
  { name: 'gathered a[2:5, 1:4, 3:9]', ranges: [[2, 5], [1, 4], [3, 9]] },
];

/** Integers in [-500, 500]: exact in every dtype, so comparisons can be exact. */
function integerData(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => ((i * 7919 + seed * 104729) % 1001) - 500);
}

/** Flat indices into a C-ordered array of `shape` of the elements of a view, in the view's C order. */
function viewIndices(shape: number[], ranges: SliceRange[]): { indices: number[]; viewShape: number[] } {
  const axes = shape.map((dim, axis) => {
    const r = ranges[axis] ?? null;
    if (r === null) return { start: 0, len: dim, keep: true };
    if (typeof r === 'number') return { start: r, len: 1, keep: false };
    return { start: r[0], len: r[1] - r[0], keep: true };
  });
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
  let indices = [0];
  axes.forEach((a, axis) => {
    const next: number[] = [];
    for (const base of indices) for (let j = 0; j < a.len; j++) next.push(base + (a.start + j) * strides[axis]!);
    indices = next;
  });
  return { indices, viewShape: axes.filter((a) => a.keep).map((a) => a.len) };
}

function size(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

describeEngines('engine memory ops', () => {
  for (const dtype of DTYPES) {
    it(`round-trips contiguous ${dtype} data, including an empty array`, () => {
      expectNoLeak(() => {
        const values = integerData(size(SHAPE), 1);
        const a = gpuarray.toGpu(HostArray.from(values, { shape: SHAPE, dtype }));
        expect(a.get().toArray()).toEqual(values);
        const empty = gpuarray.toGpu(HostArray.from([], { shape: [0, 3], dtype }));
        expect(empty.get().toArray()).toEqual([]);
        a.dispose();
        empty.dispose();
      });
    });

    for (const view of VIEWS) {
      it(`reads, writes and copies the ${dtype} view ${view.name}`, () => {
        expectNoLeak(() => {
          const values = integerData(size(SHAPE), 2);
          const { indices, viewShape } = viewIndices(SHAPE, view.ranges);
          const a = gpuarray.toGpu(HostArray.from(values, { shape: SHAPE, dtype }));

          const v = a.slice(...view.ranges);
          expect(v.shape).toEqual(viewShape);
          expect(v.get().toArray(), 'read').toEqual(indices.map((i) => values[i]));

          const fresh = integerData(indices.length, 3);
          v.set(HostArray.from(fresh, { shape: viewShape, dtype }));
          const afterWrite = [...values];
          indices.forEach((i, j) => (afterWrite[i] = fresh[j]!));
          expect(a.get().toArray(), 'write').toEqual(afterWrite);

          // Device copy into the same view of another array, from a strided source.
          const b = gpuarray.zeros(SHAPE, dtype);
          const bv = b.slice(...view.ranges);
          bv.set(v);
          const expected = new Array<number>(size(SHAPE)).fill(0);
          indices.forEach((i, j) => (expected[i] = fresh[j]!));
          expect(b.get().toArray(), 'copy').toEqual(expected);

          // A contiguous copy of the view.
          const c = v.copy();
          expect(c.get().toArray(), 'copy()').toEqual(fresh);
          for (const x of [a, v, b, bv, c]) x.dispose();
        });
      });
    }

    it(`copies between overlapping ${dtype} views of one buffer as if reading first`, () => {
      expectNoLeak(() => {
        const values = integerData(size(SHAPE), 4);
        const a = gpuarray.toGpu(HostArray.from(values, { shape: SHAPE, dtype }));
        const dst = a.slice(null, null, [1, 10]);
        const src = a.slice(null, null, [0, 9]);
        dst.set(src);
        const expected = values.map((v, i) => (i % 10 === 0 ? v : values[i - 1]!));
        expect(a.get().toArray()).toEqual(expected);

        const b = gpuarray.toGpu(HostArray.from(values, { shape: SHAPE, dtype }));
        const down = b.slice([0, 9]);
        const up = b.slice([1, 10]);
        down.set(up);
        expect(b.get().toArray()).toEqual(values.map((v, i) => (i < 900 ? values[i + 100]! : v)));
        for (const x of [a, dst, src, b, down, up]) x.dispose();
      });
    });

    it(`fills ${dtype} arrays with zero and non-zero patterns`, () => {
      expectNoLeak(() => {
        for (const value of [0, 3, -1, 1.5, -2.75]) {
          const a = gpuarray.empty([1001], dtype).fill(value);
          const want = dtype === 'int32' ? Math.trunc(value) : value;
          expect(new Set(a.get().toArray()), `fill(${value})`).toEqual(new Set([want]));
          a.dispose();
        }
      });
    });

    it(`reads ${dtype} data asynchronously, as it was when the read was requested`, async () => {
      const values = integerData(size(SHAPE), 5);
      const a = gpuarray.toGpu(HostArray.from(values, { shape: SHAPE, dtype }));
      const whole = a.getAsync();
      const view = a.slice(null, [0, 6], [0, 6]);
      const strided = view.getAsync();
      a.fill(7); // enqueued after both reads: must not show in them
      expect((await whole).toArray()).toEqual(values);
      const { indices } = viewIndices(SHAPE, [null, [0, 6], [0, 6]]);
      expect((await strided).toArray()).toEqual(indices.map((i) => values[i]));
      expect((await a.getAsync()).toArray()).toEqual(new Array(size(SHAPE)).fill(7));
      view.dispose();
      a.dispose();
    });
  }

  const CASTS: [DType, DType, number[], number[]][] = [
    ['float32', 'float16', [1.5, -2.25, 65504, 1e-3, 0.1], [1.5, -2.25, 65504, 1049 / 2 ** 20, 0.0999755859375]],
    ['float16', 'float32', [1.5, -2.25, 0.5, -0], [1.5, -2.25, 0.5, -0]],
    ['float32', 'int32', [1.9, -1.9, 0.2, -0.7, 123456.7], [1, -1, 0, 0, 123456]],
    ['int32', 'float32', [-7, 0, 16777217, 42], [-7, 0, 16777216, 42]],
    ['float16', 'int32', [2.5, -3.5, 100], [2, -3, 100]],
    ['int32', 'float16', [3, -2049, 70000], [3, -2048, Infinity]],
  ];
  for (const [from, to, input, output] of CASTS) {
    it(`casts ${from} to ${to}`, () => {
      expectNoLeak(() => {
        const a = gpuarray.toGpu(HostArray.from(input, { dtype: from }));
        const b = a.astype(to);
        expect(b.dtype).toBe(to);
        expect(b.get().toArray()).toEqual(output);
        a.dispose();
        b.dispose();
      });
    });
  }
});
