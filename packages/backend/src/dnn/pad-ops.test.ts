import { describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BackendError, Dnn, gpuarray } from '../index.js';

const reflectIndex = (i: number, len: number) => (i < 0 ? -i : i >= len ? 2 * (len - 1) - i : i);
const clampless = (i: number, len: number) => (i < 0 || i >= len ? -1 : i);

/**
 * For (outer, H, W) data padded to (outer, H', W'), the source flat index of every output cell (−1 = fill),
 * with `map` giving the source coordinate of a padded coordinate.
 */
function sourceIndex(outer: number, [h, w]: readonly [number, number], [u, b, l, r]: readonly [number, number, number, number], map: (i: number, len: number) => number): Int32Array {
  const [ho, wo] = [h + u + b, w + l + r];
  const src = new Int32Array(outer * ho * wo);
  for (let o = 0; o < outer; o++) {
    for (let y = 0; y < ho; y++) {
      for (let x = 0; x < wo; x++) {
        const [sy, sx] = [map(y - u, h), map(x - l, w)];
        src[(o * ho + y) * wo + x] = sy < 0 || sx < 0 ? -1 : (o * h + sy) * w + sx;
      }
    }
  }
  return src;
}

const gather64 = (x: Float64Array, src: Int32Array, fill: number) => Float64Array.from(src, (s) => (s < 0 ? fill : x[s]!));
function scatter64(g: Float64Array, src: Int32Array, size: number): Float64Array {
  const out = new Float64Array(size);
  src.forEach((s, i) => s >= 0 && (out[s]! += g[i]!));
  return out;
}

describeEngines('Dnn reflect pads', () => {
  const cases = [
    { name: '1d', shape: [4, 3, 9], pad: [2, 3], hw: [1, 9] as const, pads4: [0, 0, 2, 3] as const },
    { name: '2d', shape: [2, 3, 5, 7], pad: [2, 3, 1, 4], hw: [5, 7] as const, pads4: [2, 3, 1, 4] as const },
    { name: '2d one-sided', shape: [1, 2, 4, 3], pad: [0, 3, 2, 0], hw: [4, 3] as const, pads4: [0, 3, 2, 0] as const },
  ];
  for (const { name, shape, pad, hw, pads4 } of cases) {
    it(`reflectPad${name === '1d' ? '1d' : '2d'} ${JSON.stringify(pad)} on (${shape.join(', ')}): forward and adjoint backward`, () => {
      expectNoLeak(() => {
        const x = randomData(shape, 1);
        const X = gpuarray.toGpu(x.host);
        const Y = name === '1d' ? Dnn.reflectPad1d(X, pad as [number, number]) : Dnn.reflectPad2d(X, pad as [number, number, number, number]);
        const src = sourceIndex(shape[0]! * shape[1]!, hw, pads4, reflectIndex);
        expectClose(Y.get().data, gather64(x.f64, src, 0), TOLERANCES.float32, 'padded');
        const g = randomData([...Y.shape], 2);
        const G = gpuarray.toGpu(g.host);
        const dX = name === '1d' ? Dnn.reflectPad1dBackward(G, pad as [number, number]) : Dnn.reflectPad2dBackward(G, pad as [number, number, number, number]);
        expect(dX.shape).toEqual(shape);
        expectClose(dX.get().data, scatter64(g.f64, src, x.f64.length), TOLERANCES.float32, 'backward');
        for (const a of [X, Y, G, dX]) a.dispose();
      });
    });
  }

  it('constantPad fills, and its backward crops', () => {
    expectNoLeak(() => {
      const x = randomData([3, 4, 5, 6], 3);
      const X = gpuarray.toGpu(x.host);
      const Y = Dnn.constantPad(X, [[0, 1], [2, 1]], -0.1);
      const src = sourceIndex(12, [5, 6], [0, 1, 2, 1], clampless);
      expectClose(Y.get().data, gather64(x.f64, src, -0.1), TOLERANCES.float32, 'padded');
      const g = randomData([...Y.shape], 4);
      const G = gpuarray.toGpu(g.host);
      const dX = Dnn.constantPadBackward(G, [[0, 1], [2, 1]]);
      expectClose(dX.get().data, scatter64(g.f64, src, x.f64.length), TOLERANCES.float32, 'cropped');
      for (const a of [X, Y, G, dX]) a.dispose();
    });
  });

  it('rejects pads as wide as the axis and wrong ranks', () => {
    const X = gpuarray.zeros([2, 3, 4]);
    expectNoLeak(() => {
      expect(() => Dnn.reflectPad1d(X, [4, 0])).toThrow(BackendError);
      expect(() => Dnn.reflectPad1d(X, [4, 0])).toThrow(/reflectPad1d.*\(4, 0\).*\(2, 3, 4\)/);
      expect(() => Dnn.reflectPad2d(X, [1, 1, 1, 1])).toThrow(/reflectPad2d.*4-D.*\(2, 3, 4\)/);
      expect(() => Dnn.reflectPad1d(X, [-1, 1])).toThrow(/non-negative/);
      expect(() => Dnn.reflectPad1dBackward(X, [2, 1])).toThrow(/too small/);
    });
    X.dispose();
  });
});
