import { describeEngines, expectClose, expectNoLeak, randomData, softmax64, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BackendError, Dnn, gpuarray } from '../index.js';

function softmaxBackward64(y: Float64Array, g: Float64Array, [n, c, s]: readonly [number, number, number]): Float64Array {
  const out = new Float64Array(y.length);
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < s; p++) {
      const at = (k: number) => (b * c + k) * s + p;
      let dot = 0;
      for (let k = 0; k < c; k++) dot += y[at(k)]! * g[at(k)]!;
      for (let k = 0; k < c; k++) out[at(k)] = y[at(k)]! * (g[at(k)]! - dot);
    }
  }
  return out;
}

describeEngines('Dnn.softmaxNd', () => {
  const cases = [
    { shape: [5, 8, 2, 3], view: [5, 8, 6] as const },
    { shape: [4, 7], view: [4, 7, 1] as const },
    { shape: [2, 3, 2, 2, 3], view: [2, 3, 12] as const },
  ];
  for (const { shape, view } of cases) {
    it(`forward and backward of (${shape.join(', ')}) match float64`, () => {
      expectNoLeak(() => {
        // Large logits exercise the max shift.
        const x = randomData(shape, 1, 30);
        const g = randomData(shape, 2);
        const X = gpuarray.toGpu(x.host);
        const G = gpuarray.toGpu(g.host);
        const Y = Dnn.softmaxNd(X);
        const y64 = softmax64(x.f64, view[0], view[1], view[2]);
        expectClose(Y.get().data, y64, TOLERANCES.float32, 'softmax');
        const dX = Dnn.softmaxNdBackward(Y, G);
        expectClose(dX.get().data, softmaxBackward64(y64, g.f64, view), TOLERANCES.float32, 'softmax backward');
        for (const a of [X, G, Y, dX]) a.dispose();
      });
    });
  }

  it('rejects 1-D data and a grad of another shape, naming the op', () => {
    const x = gpuarray.zeros([4]);
    const y = gpuarray.zeros([2, 3]);
    const g = gpuarray.zeros([3, 2]);
    const ints = gpuarray.zeros([2, 2], 'int32');
    expectNoLeak(() => {
      expect(() => Dnn.softmaxNd(x)).toThrow(BackendError);
      expect(() => Dnn.softmaxNd(x)).toThrow(/Dnn.softmaxNd.*\(4,\)/);
      expect(() => Dnn.softmaxNdBackward(y, g)).toThrow(/softmaxNdBackward.*\(3, 2\).*\(2, 3\)/);
      expect(() => Dnn.softmaxNd(ints)).toThrow(/int32/);
    });
    for (const a of [x, y, g, ints]) a.dispose();
  });
});
