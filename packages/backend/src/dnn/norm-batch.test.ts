import { describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BackendError, Dnn, gpuarray, HostArray } from '../index.js';

type View = [number, number, number];

/** Per-channel mean and biased variance of (N, C, S) data in float64. */
function stats64(x: Float64Array, [n, c, s]: View): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  const m = n * s;
  for (let k = 0; k < c; k++) {
    for (let b = 0; b < n; b++) for (let p = 0; p < s; p++) mean[k]! += x[(b * c + k) * s + p]! / m;
    for (let b = 0; b < n; b++) for (let p = 0; p < s; p++) variance[k]! += (x[(b * c + k) * s + p]! - mean[k]!) ** 2 / m;
  }
  return { mean, variance };
}

function normalise64(x: Float64Array, [, c, s]: View, p: { mean: ArrayLike<number>; invstd: ArrayLike<number>; scale: ArrayLike<number>; bias: ArrayLike<number> }): Float64Array {
  return x.map((v, i) => {
    const k = Math.floor(i / s) % c;
    return (v - p.mean[k]!) * p.invstd[k]! * p.scale[k]! + p.bias[k]!;
  });
}

function backward64(x: Float64Array, g: Float64Array, view: View, scale: ArrayLike<number>) {
  const [n, c, s] = view;
  const m = n * s;
  const { mean, variance } = stats64(x, view);
  const invstd = variance.map((v) => 1 / Math.sqrt(v + 1e-5));
  const xhat = x.map((v, i) => (v - mean[Math.floor(i / s) % c]!) * invstd[Math.floor(i / s) % c]!);
  const gsum = new Float64Array(c);
  const gxhat = new Float64Array(c);
  g.forEach((v, i) => {
    gsum[Math.floor(i / s) % c]! += v;
    gxhat[Math.floor(i / s) % c]! += v * xhat[i]!;
  });
  const ingrad = g.map((v, i) => {
    const k = Math.floor(i / s) % c;
    return ((scale[k]! * invstd[k]!) / m) * (m * v - gsum[k]! - xhat[i]! * gxhat[k]!);
  });
  return { ingrad, scalegrad: gxhat, biasgrad: gsum };
}

const cases: { shape: number[]; mode: 'spatial' | 'perActivation'; view: View }[] = [
  { shape: [4, 5, 2, 3], mode: 'spatial', view: [4, 5, 6] },
  { shape: [2, 3, 2, 3, 2], mode: 'spatial', view: [2, 3, 12] },
  { shape: [6, 4], mode: 'perActivation', view: [6, 4, 1] },
  { shape: [5, 2, 3, 1], mode: 'perActivation', view: [5, 6, 1] },
];

describeEngines('Dnn.batchNormNd', () => {
  for (const { shape, mode, view } of cases) {
    it(`train mode on (${shape.join(', ')}) ${mode}: output, saved stats, running stats, backward`, () => {
      expectNoLeak(() => {
        const c = view[1];
        const pshape = mode === 'spatial' ? [1, c, ...shape.slice(2).map(() => 1)] : [1, ...shape.slice(1)];
        const x = randomData(shape, 1, 2, 0.5);
        const [scale, bias, mean0] = [2, 3, 4].map((seed) => randomData(pshape, seed));
        const var0 = randomData(pshape, 5).f64.map((v) => 1 + v * v);
        const g = randomData(shape, 6);
        const [X, S, B, M, G] = [x, scale!, bias!, mean0!, g].map((d) => gpuarray.toGpu(d.host));
        const V = gpuarray.toGpu(HostArray.from(var0, { shape: pshape }));
        const factor = 0.3;
        const res = Dnn.batchNormNd(X!, S!, B!, M!, V, { factor, mode });
        const { mean, variance } = stats64(x.f64, view);
        const invstd = variance.map((v) => 1 / Math.sqrt(v + 1e-5));
        const m = view[0] * view[2];
        expectClose(res.out.get().data, normalise64(x.f64, view, { mean, invstd, scale: scale!.f64, bias: bias!.f64 }), TOLERANCES.float32, 'out');
        expectClose(res.savemean!.get().data, mean, TOLERANCES.float32, 'savemean');
        expectClose(res.saveinvvar!.get().data, invstd, TOLERANCES.float32, 'saveinvvar');
        expectClose(M!.get().data, mean0!.f64.map((v, k) => (1 - factor) * v + factor * mean[k]!), TOLERANCES.float32, 'running mean');
        expectClose(V.get().data, var0.map((v, k) => (1 - factor) * v + (factor * variance[k]! * m) / (m - 1)), TOLERANCES.float32, 'running var');

        const grads = Dnn.batchNormNdBackward(X!, G!, S!, res.savemean!, res.saveinvvar!, { mode });
        const ref = backward64(x.f64, g.f64, view, scale!.f64);
        expectClose(grads.ingrad.get().data, ref.ingrad, TOLERANCES.float32Accumulated, 'ingrad');
        expectClose(grads.scalegrad.get().data, ref.scalegrad, TOLERANCES.float32Accumulated, 'scalegrad');
        expectClose(grads.biasgrad.get().data, ref.biasgrad, TOLERANCES.float32Accumulated, 'biasgrad');
        for (const a of [X, S, B, M, V, G, res.out, res.savemean, res.saveinvvar, grads.ingrad, grads.scalegrad, grads.biasgrad]) a!.dispose();
      });
    });
  }

  it('test mode normalises with the running stats, in place, and leaves them unchanged', () => {
    expectNoLeak(() => {
      const shape = [3, 4, 2, 2];
      const x = randomData(shape, 7);
      const [scale, bias, mean] = [8, 9, 10].map((seed) => randomData([1, 4, 1, 1], seed));
      const variance = randomData([1, 4, 1, 1], 11).f64.map((v) => 1 + v * v);
      const [X, S, B, M] = [x, scale!, bias!, mean!].map((d) => gpuarray.toGpu(d.host));
      const V = gpuarray.toGpu(HostArray.from(variance, { shape: [1, 4, 1, 1] }));
      const res = Dnn.batchNormNd(X!, S!, B!, M!, V, { test: true, out: X! });
      expect(res.out).toBe(X);
      expect(res.savemean).toBeNull();
      const invstd = variance.map((v) => 1 / Math.sqrt(v + 1e-5));
      expectClose(X!.get().data, normalise64(x.f64, [3, 4, 4], { mean: mean!.f64, invstd, scale: scale!.f64, bias: bias!.f64 }), TOLERANCES.float32);
      expectClose(M!.get().data, mean!.f64, TOLERANCES.float32, 'running mean untouched');
      for (const a of [X, S, B, M, V]) a!.dispose();
    });
  });

  it('rejects parameters of the wrong size, naming the op and shapes, and allocates nothing', () => {
    const X = gpuarray.zeros([2, 3, 2, 2]);
    const p = gpuarray.zeros([1, 3, 1, 1]);
    const wrong = gpuarray.zeros([1, 4, 1, 1]);
    expectNoLeak(() => {
      expect(() => Dnn.batchNormNd(X, p, p, wrong, p)).toThrow(BackendError);
      expect(() => Dnn.batchNormNd(X, p, p, wrong, p)).toThrow(/batchNormNd.*mean.*3.*\(2, 3, 2, 2\).*\(1, 4, 1, 1\)/);
      expect(() => Dnn.batchNormNd(X, p, p, p, p, { mode: 'perActivation' })).toThrow(/12 float32/);
      expect(() => Dnn.batchNormNdBackward(X, wrong, p, p, p)).toThrow(/grad.*\(1, 4, 1, 1\)/);
    });
    for (const a of [X, p, wrong]) a.dispose();
  });
});
