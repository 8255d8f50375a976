import { describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BackendError, Dnn, gpuarray } from '../index.js';

/** Float64 PRelu over (N, C, S) with per-channel (or one shared) slope: output, input grad, slope grad. */
function prelu64(x: Float64Array, g: Float64Array, [, c, s]: readonly [number, number, number], slopes: Float64Array) {
  const slopeOf = (i: number) => slopes[slopes.length === 1 ? 0 : Math.floor(i / s) % c]!;
  const y = x.map((v, i) => (v > 0 ? v : slopeOf(i) * v));
  const dx = x.map((v, i) => g[i]! * (v > 0 ? 1 : slopeOf(i)));
  const dslopes = new Float64Array(slopes.length);
  x.forEach((v, i) => v <= 0 && (dslopes[slopes.length === 1 ? 0 : Math.floor(i / s) % c]! += g[i]! * v));
  return { y, dx, dslopes };
}

describeEngines('Dnn.prelu', () => {
  for (const sharedMaps of [false, true]) {
    it(`forward, backward data and slope grads match float64 (sharedMaps=${sharedMaps})`, () => {
      expectNoLeak(() => {
        const shape = [5, 4, 3, 3];
        const x = randomData(shape, 1);
        const g = randomData(shape, 2);
        const slopes = randomData([sharedMaps ? 1 : 4], 3, 0.3);
        const old = randomData([sharedMaps ? 1 : 4], 4);
        const [X, G, S, O] = [x, g, slopes, old].map((d) => gpuarray.toGpu(d.host));
        const ref = prelu64(x.f64, g.f64, [5, 4, 9], slopes.f64);
        const Y = Dnn.prelu(X!, S!, { sharedMaps });
        expectClose(Y.get().data, ref.y, TOLERANCES.float32, 'prelu');
        const dX = Dnn.preluBackwardData(G!, S!, X!, { sharedMaps });
        expectClose(dX.get().data, ref.dx, TOLERANCES.float32, 'input grad');
        const dS = Dnn.preluBackwardParams(X!, G!, { sharedMaps });
        expectClose(dS.get().data, ref.dslopes, TOLERANCES.float32Accumulated, 'slope grad');
        Dnn.preluBackwardParams(X!, G!, { sharedMaps, out: O!, scale: 0.5, momentum: 2 });
        expectClose(O!.get().data, ref.dslopes.map((v, i) => 0.5 * v + 2 * old.f64[i]!), TOLERANCES.float32Accumulated, 'accumulated');
        const inplace = Dnn.prelu(X!, S!, { sharedMaps, inplace: true });
        expect(inplace).toBe(X);
        expectClose(X!.get().data, ref.y, TOLERANCES.float32, 'in place');
        for (const a of [X, G, S, O, Y, dX, dS]) a!.dispose();
      });
    });
  }

  it('rejects slopes of the wrong size with the shapes', () => {
    const X = gpuarray.zeros([2, 3, 4]);
    const S = gpuarray.zeros([4]);
    expectNoLeak(() => {
      expect(() => Dnn.prelu(X, S)).toThrow(BackendError);
      expect(() => Dnn.prelu(X, S)).toThrow(/prelu.*3 values.*\(2, 3, 4\).*\(4,\)/);
      expect(() => Dnn.prelu(X, S, { sharedMaps: true })).toThrow(/1 values/);
    });
    X.dispose();
    S.dispose();
  });
});
