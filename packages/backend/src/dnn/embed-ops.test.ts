import { describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BackendError, Dnn, gpuarray, HostArray, Rng } from '../index.js';

/** Indices in [−1, vocab) with repeats, so that the scatter-add must accumulate. */
function indices(n: number, l: number, vocab: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  return Int32Array.from({ length: n * l }, () => Math.floor(rng.uniform() * (vocab + 1)) - 1);
}

describeEngines('Dnn.embed', () => {
  it('looks rows up (zeros for −1) and scatter-adds grads with scale and momentum', () => {
    expectNoLeak(() => {
      const [n, l, vocab, e] = [6, 5, 7, 4];
      const idx = indices(n, l, vocab, 1);
      expect(idx.includes(-1)).toBe(true);
      const W = randomData([vocab, e], 2);
      const g = randomData([n, l, e], 3);
      const old = randomData([vocab, e], 4);
      const [I, Wd, G, O] = [gpuarray.toGpu(new HostArray(idx, [n, l], 'int32')), ...[W, g, old].map((d) => gpuarray.toGpu(d.host))];
      const Y = Dnn.embed(I!, Wd!);
      expect(Y.shape).toEqual([n, l, e]);
      const lookup = Float64Array.from({ length: n * l * e }, (_, k) => {
        const row = idx[Math.floor(k / e)]!;
        return row < 0 ? 0 : W.f64[row * e + (k % e)]!;
      });
      expectClose(Y.get().data, lookup, TOLERANCES.float32, 'lookup');
      const scatter = new Float64Array(vocab * e);
      idx.forEach((row, p) => {
        if (row >= 0) for (let j = 0; j < e; j++) scatter[row * e + j]! += g.f64[p * e + j]!;
      });
      Dnn.embedBackwardParams(I!, G!, O!, { scale: 0.5, momentum: 2 });
      expectClose(O!.get().data, scatter.map((v, k) => 0.5 * v + 2 * old.f64[k]!), TOLERANCES.float32, 'scatter-add');
      for (const a of [I, Wd, G, O, Y]) a!.dispose();
    });
  });

  it('rejects float indices and a grad of the wrong shape', () => {
    const F = gpuarray.zeros([2, 3]);
    const I = gpuarray.zeros([2, 3], 'int32');
    const W = gpuarray.zeros([5, 4]);
    const G = gpuarray.zeros([2, 3, 5]);
    expectNoLeak(() => {
      expect(() => Dnn.embed(F, W)).toThrow(BackendError);
      expect(() => Dnn.embed(F, W)).toThrow(/embed.*int32.*\(2, 3\) float32/);
      expect(() => Dnn.embedBackwardParams(I, G, W)).toThrow(/\(2, 3, 5\).*\(2, 3, 4\)/);
    });
    for (const a of [F, I, W, G]) a.dispose();
  });
});
