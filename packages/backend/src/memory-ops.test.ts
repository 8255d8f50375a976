import { describeEngines, expectNoLeak, randomData } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BackendError, gpuarray, HostArray, Memory, type DType } from './index.js';

const strides = (shape: readonly number[]) => shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));

/** numpy transpose by explicit index arithmetic. */
function transpose64(x: ArrayLike<number>, shape: number[], axes: number[]): number[] {
  const outShape = axes.map((a) => shape[a]!);
  const [inStrides, outStrides] = [strides(shape), strides(outShape)];
  return Array.from({ length: x.length }, (_, flat) => {
    const src = axes.reduce((s, a, i) => s + (Math.floor(flat / outStrides[i]!) % outShape[i]!) * inStrides[a]!, 0);
    return x[src]!;
  });
}

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) => [...Array(n).keys()].map((i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

describeEngines('Memory', () => {
  it('transpose matches index arithmetic for every permutation of a 4-D array', () => {
    expectNoLeak(() => {
      const shape = [4, 3, 2, 5];
      const x = randomData(shape, 1);
      const X = gpuarray.toGpu(x.host);
      for (const axes of permutations(4)) {
        const Y = Memory.transpose(X, axes);
        expect(Y.shape).toEqual(axes.map((a) => shape[a]));
        expect(Array.from(Y.get().data)).toEqual(transpose64(x.host.data, shape, axes));
        Y.dispose();
      }
      X.dispose();
    });
  });

  for (const dtype of ['float32', 'float16', 'int32'] as DType[]) {
    it(`transpose of a 5-D ${dtype} array, default axes, and of a strided view`, () => {
      expectNoLeak(() => {
        const shape = [3, 2, 4, 1, 2];
        const host = HostArray.from(randomData(shape, 2).f64.map((v) => Math.round(v * 8)), { shape, dtype });
        const X = gpuarray.toGpu(host);
        const axes = [2, 4, 1, 3, 0];
        const Y = Memory.transpose(X, axes);
        expect(Y.dtype).toBe(dtype);
        expect(Y.get().toArray()).toEqual(transpose64(host.toArray(), shape, axes));
        const R = Memory.transpose(X);
        expect(R.get().toArray()).toEqual(transpose64(host.toArray(), shape, [4, 3, 2, 1, 0]));
        const view = X.slice(null, [0, 1]);
        const V = Memory.transpose(view, [1, 0, 2, 3, 4]);
        expect(V.get().toArray()).toEqual(transpose64(view.get().toArray(), [3, 1, 4, 1, 2], [1, 0, 2, 3, 4]));
        for (const a of [X, Y, R, view, V]) a.dispose();
      });
    });
  }

  it('moveaxis and swapaxes agree with numpy for every pair of axes', () => {
    expectNoLeak(() => {
      const shape = [2, 3, 4, 5];
      const x = randomData(shape, 3);
      const X = gpuarray.toGpu(x.host);
      for (let a = 0; a < 4; a++) {
        for (let b = 0; b < 4; b++) {
          const moved = [...Array(4).keys()].filter((i) => i !== a);
          moved.splice(b, 0, a);
          const swapped = [...Array(4).keys()].map((i) => (i === a ? b : i === b ? a : i));
          const [M, S] = [Memory.moveaxis(X, a, b - 4), Memory.swapaxes(X, a, b)];
          expect(Array.from(M.get().data)).toEqual(transpose64(x.host.data, shape, moved));
          expect(Array.from(S.get().data)).toEqual(transpose64(x.host.data, shape, swapped));
          M.dispose();
          S.dispose();
        }
      }
      X.dispose();
    });
  });

  it('depthConcat centres each input and depthSplit crops it back', () => {
    expectNoLeak(() => {
      const shapes = [[3, 4, 3, 3], [3, 2, 6, 6], [3, 5, 4, 4], [3, 1, 5, 5]];
      const xs = shapes.map((s, i) => randomData(s, 10 + i));
      const X = xs.map((x) => gpuarray.toGpu(x.host));
      const Y = Memory.depthConcat(X);
      expect(Y.shape).toEqual([3, 12, 6, 6]);
      const y = Y.get().data;
      const expected = new Float64Array(y.length);
      let offset = 0;
      shapes.forEach(([n, c, h, w], k) => {
        const [top, left] = [Math.floor((6 - h!) / 2), Math.floor((6 - w!) / 2)];
        for (let i = 0; i < n! * c! * h! * w!; i++) {
          const [b, ch, r, col] = [Math.floor(i / (c! * h! * w!)), Math.floor(i / (h! * w!)) % c!, Math.floor(i / w!) % h!, i % w!];
          expected[((b * 12 + offset + ch) * 6 + top + r) * 6 + left + col] = xs[k]!.f64[i]!;
        }
        offset += c!;
      });
      expect(Array.from(y)).toEqual(Array.from(expected));
      const parts = Memory.depthSplit(Y, X);
      parts.forEach((p, k) => expect(Array.from(p.get().data)).toEqual(Array.from(xs[k]!.host.data)));
      for (const a of [...X, Y, ...parts]) a.dispose();
    });
  });

  it('rejects axes that are not a permutation and mismatched batches, naming the op', () => {
    const X = gpuarray.zeros([2, 3, 4]);
    const Z = gpuarray.zeros([3, 3, 4, 4]);
    const W = gpuarray.zeros([2, 3, 4, 4]);
    expectNoLeak(() => {
      expect(() => Memory.transpose(X, [0, 0, 1])).toThrow(BackendError);
      expect(() => Memory.transpose(X, [0, 1])).toThrow(/Memory.transpose.*\(2, 3, 4\)/);
      expect(() => Memory.moveaxis(X, 3, 0)).toThrow(/moveaxis.*axis 3/);
      expect(() => Memory.depthConcat([Z, W])).toThrow(/depthConcat.*\(3, 3, 4, 4\).*\(2, 3, 4, 4\)/);
      expect(() => Memory.depthSplit(Z, [W])).toThrow(/depthSplit.*\(3, 3, 4, 4\)/);
    });
    for (const a of [X, Z, W]) a.dispose();
  });
});
