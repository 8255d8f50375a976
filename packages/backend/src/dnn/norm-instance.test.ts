import { describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BackendError, Dnn, gpuarray } from '../index.js';

/** Float64 instance norm of (N, C, H·W) data: per-map stats, output and gradients. */
function instanceNorm64(x: Float64Array, g: Float64Array, [n, c, s]: readonly [number, number, number], scale: Float64Array, bias: Float64Array) {
  const out = new Float64Array(x.length);
  const ingrad = new Float64Array(x.length);
  const [mean, invstd] = [new Float64Array(n * c), new Float64Array(n * c)];
  const [scalegrad, biasgrad] = [new Float64Array(c), new Float64Array(c)];
  for (let map = 0; map < n * c; map++) {
    const k = map % c;
    const xs = x.subarray(map * s, (map + 1) * s);
    const gs = g.subarray(map * s, (map + 1) * s);
    mean[map] = xs.reduce((a, v) => a + v, 0) / s;
    invstd[map] = 1 / Math.sqrt(xs.reduce((a, v) => a + (v - mean[map]!) ** 2, 0) / s + 1e-5);
    const xhat = xs.map((v) => (v - mean[map]!) * invstd[map]!);
    const gsum = gs.reduce((a, v) => a + v, 0);
    const gxhat = gs.reduce((a, v, i) => a + v * xhat[i]!, 0);
    scalegrad[k]! += gxhat;
    biasgrad[k]! += gsum;
    for (let p = 0; p < s; p++) {
      out[map * s + p] = xhat[p]! * scale[k]! + bias[k]!;
      ingrad[map * s + p] = ((scale[k]! * invstd[map]!) / s) * (s * gs[p]! - gsum - xhat[p]! * gxhat);
    }
  }
  return { out, mean, invstd, ingrad, scalegrad, biasgrad };
}

describeEngines('Dnn.instanceNorm2d', () => {
  it('normalises each (n, c) map and its backward matches float64', () => {
    expectNoLeak(() => {
      const shape = [3, 4, 5, 5];
      const x = randomData(shape, 1, 3, 1);
      const g = randomData(shape, 2);
      const scale = randomData([1, 4, 1, 1], 3);
      const bias = randomData([1, 4, 1, 1], 4);
      const [X, G, S, B] = [x, g, scale, bias].map((d) => gpuarray.toGpu(d.host));
      const res = Dnn.instanceNorm2d(X!, S!, B!);
      const ref = instanceNorm64(x.f64, g.f64, [3, 4, 25], scale.f64, bias.f64);
      expectClose(res.out.get().data, ref.out, TOLERANCES.float32, 'out');
      expectClose(res.savemean.get().data, ref.mean, TOLERANCES.float32, 'savemean');
      expectClose(res.saveinvvar.get().data, ref.invstd, TOLERANCES.float32, 'saveinvvar');
      const grads = Dnn.instanceNorm2dBackward(G!, X!, res.extscale, res.savemean, res.saveinvvar);
      expectClose(grads.ingrad.get().data, ref.ingrad, TOLERANCES.float32Accumulated, 'ingrad');
      expectClose(grads.scalegrad!.get().data, ref.scalegrad, TOLERANCES.float32Accumulated, 'scalegrad');
      expectClose(grads.biasgrad!.get().data, ref.biasgrad, TOLERANCES.float32Accumulated, 'biasgrad');
      expect(grads.scalegrad!.shape).toEqual([1, 4, 1, 1]);
      const plain = Dnn.instanceNorm2dBackward(G!, X!, res.extscale, res.savemean, res.saveinvvar, { affine: false });
      expect(plain.scalegrad).toBeNull();
      expectClose(plain.ingrad.get().data, ref.ingrad, TOLERANCES.float32Accumulated, 'ingrad without affine');
      for (const a of [X, G, S, B, res.out, res.savemean, res.saveinvvar, res.extscale, grads.ingrad, grads.scalegrad, grads.biasgrad, plain.ingrad]) a!.dispose();
    });
  });

  it('rejects non-4-D data and a scale of the wrong size', () => {
    const X = gpuarray.zeros([2, 3, 4]);
    const Y = gpuarray.zeros([2, 3, 2, 2]);
    const p = gpuarray.zeros([1, 3, 1, 1]);
    expectNoLeak(() => {
      expect(() => Dnn.instanceNorm2d(X, p, p)).toThrow(BackendError);
      expect(() => Dnn.instanceNorm2d(X, p, p)).toThrow(/instanceNorm2d.*\(2, 3, 4\)/);
      expect(() => Dnn.instanceNorm2d(Y, X, p)).toThrow(/scale must hold 3.*\(2, 3, 4\)/);
    });
    for (const a of [X, Y, p]) a.dispose();
  });
});
