import { gpuarray, HostArray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, expectNoLeak, numericGrad, randomData, sampleIndices, TOLERANCES, weightedSum } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BatchNorm1D, BatchNorm2D, BatchNorm3D, type BatchNormND } from './batch-norm-nd.js';
import { ModuleError } from './errors.js';
import { normalise64, stats64, type View } from './test-support/batch-norm64.js';

const f64 = (a: GPUArray) => Float64Array.from(a.get().toFloat32());

/** Eval mode has no parameter grads, so only the input grad is checked against finite differences. */
function expectInputGradMatchesFd(bn: BatchNormND, x: HostArray, seed: number): void {
  const w = randomData([...x.shape], seed);
  const values = x.toFloat32();
  const loss = () => {
    const xd = gpuarray.toGpu(HostArray.from(values, { shape: x.shape }));
    const total = weightedSum((bn.call(xd) as GPUArray).get().data, w.f64);
    xd.dispose();
    return total;
  };
  const idx = sampleIndices(values.length, 16, seed);
  const numeric = numericGrad(loss, values, 1e-2, idx);
  const xd = gpuarray.toGpu(x);
  const wd = gpuarray.toGpu(w.host);
  bn.call(xd);
  bn.backward(wd);
  const analytic = (bn.grad as GPUArray).get().data;
  expectClose(idx.map((i) => analytic[i]!), idx.map((i) => numeric[i]!), TOLERANCES.fd, 'eval input grad vs finite differences');
  xd.dispose();
  wd.dispose();
}

/** Random non-trivial scale and bias, so the affine part is exercised. */
function randomAffine(bn: BatchNormND, seed: number): void {
  bn.scale.set(randomData([...bn.scale.shape], seed, 0.5, 1).host);
  bn.bias.set(randomData([...bn.bias.shape], seed + 1).host);
}

const cases = [
  { name: 'BatchNorm1D', make: (o = {}) => new BatchNorm1D(3, o), shape: [4, 3, 5], view: [4, 3, 5] as View },
  { name: 'BatchNorm2D', make: (o = {}) => new BatchNorm2D(3, o), shape: [4, 3, 2, 3], view: [4, 3, 6] as View },
  { name: 'BatchNorm3D', make: (o = {}) => new BatchNorm3D(2, o), shape: [2, 2, 3, 2, 2], view: [2, 2, 12] as View },
];

for (const { name, make, shape, view } of cases) {
  describeEngines(name, () => {
    it('train forward normalises with batch stats; the first batch sets the running stats', () => {
      const bn = make();
      randomAffine(bn, 1);
      const x = randomData(shape, 2, 2, 1);
      const xd = gpuarray.toGpu(x.host);
      const out = bn.call(xd) as GPUArray;
      const { mean, variance } = stats64(x.f64, view);
      const m = view[0] * view[2];
      expectClose(out.get().data, normalise64(x.f64, view, { mean, variance, scale: f64(bn.scale), bias: f64(bn.bias) }), TOLERANCES.float32, 'output');
      expectClose(bn.savemean!.get().data, mean, TOLERANCES.float32, 'savemean');
      expectClose(bn.saveinvvar!.get().data, variance.map((v) => 1 / Math.sqrt(v + 1e-5)), TOLERANCES.float32, 'saveinvvar');
      expectClose(bn.mean.get().data, mean, TOLERANCES.float32, 'running mean');
      expectClose(bn.var.get().data, variance.map((v) => (v * m) / (m - 1)), TOLERANCES.float32, 'running var (unbiased)');
      expect(bn.dataShapeFrom(shape)).toEqual(shape);
      bn.dispose();
      xd.dispose();
    });

    it('backward matches finite differences of the train-mode forward, with the scale/momentum rule', () => {
      const bn = make();
      randomAffine(bn, 3);
      checkModuleGradients(bn, [HostArray.randn(shape, { seed: 4 })]);
      bn.dispose();
    });

    it('eval mode uses the running stats, and its backward matches finite differences', () => {
      const bn = make();
      randomAffine(bn, 5);
      const c = view[1];
      bn.mean.set(randomData([...bn.mean.shape], 6).host);
      bn.var.set(HostArray.from(randomData([c], 7).f64.map((v) => 0.5 + v * v), { shape: bn.var.shape }));
      bn.evalMode();
      const x = randomData(shape, 8);
      const xd = gpuarray.toGpu(x.host);
      const out = bn.call(xd) as GPUArray;
      const ref = normalise64(x.f64, view, { mean: f64(bn.mean), variance: f64(bn.var), scale: f64(bn.scale), bias: f64(bn.bias) });
      expectClose(out.get().data, ref, TOLERANCES.float32, 'eval output');
      expect(bn.numOfProps).toBe(0);
      expectInputGradMatchesFd(bn, x.host, 9);
      bn.dispose();
      xd.dispose();
    });
  });
}

describeEngines('BatchNormND', () => {
  it('follows the factor schedule max(initFactor/numOfProps, minFactor)', () => {
    const shape = [5, 2, 2, 2];
    const bn = new BatchNorm2D(2, { minFactor: 0.4 });
    let mean = new Float64Array(2);
    let variance = new Float64Array(2).fill(1);
    for (let step = 1; step <= 3; step++) {
      const x = randomData(shape, 10 + step, step, step);
      const xd = gpuarray.toGpu(x.host);
      bn.call(xd);
      xd.dispose();
      const batch = stats64(x.f64, [5, 2, 4]);
      const f = Math.max(1 / step, 0.4);
      mean = mean.map((v, k) => (1 - f) * v + f * batch.mean[k]!);
      variance = variance.map((v, k) => (1 - f) * v + (f * batch.variance[k]! * 20) / 19);
      expect(bn.numOfProps).toBe(step);
      expectClose(bn.mean.get().data, mean, TOLERANCES.float32, `running mean after step ${step}`);
      expectClose(bn.var.get().data, variance, TOLERANCES.float32, `running var after step ${step}`);
    }
    bn.dispose();
  });

  it('normalises float16 data with float32 parameters', () => {
    const bn = new BatchNorm2D(2);
    bn.calcMode('float16');
    randomAffine(bn, 30);
    const shape = [3, 2, 2, 2];
    const x = HostArray.from(randomData(shape, 31).f64, { shape, dtype: 'float16' });
    const xd = gpuarray.toGpu(x);
    const out = bn.call(xd) as GPUArray;
    expect(out.dtype).toBe('float16');
    expect(bn.scale.dtype).toBe('float32');
    const x64 = Float64Array.from(x.toFloat32());
    const { mean, variance } = stats64(x64, [3, 2, 4]);
    expectClose(out.get().toFloat32(), normalise64(x64, [3, 2, 4], { mean, variance, scale: f64(bn.scale), bias: f64(bn.bias) }), TOLERANCES.float16);
    bn.dispose();
    xd.dispose();
  });

  it('without affine keeps scale 1 and leaves parameter grads untouched', () => {
    const bn = new BatchNorm2D(3, { affine: false });
    expect(Array.from(bn.scale.get().data)).toEqual([1, 1, 1]);
    const xd = gpuarray.toGpu(HostArray.randn([3, 3, 2, 2], { seed: 20 }));
    const gd = gpuarray.toGpu(HostArray.randn([3, 3, 2, 2], { seed: 21 }));
    bn.call(xd);
    bn.backward(gd);
    expect(Array.from(bn.getVar('scale').grad!.get().data)).toEqual([0, 0, 0]);
    bn.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('rejects wrong maps or rank naming the module and shape, and inplace in train mode, leaving state unchanged', () => {
    const bn = new BatchNorm2D(3, { name: 'bn' });
    const bad = gpuarray.zeros([2, 4, 2, 2]);
    expect(() => bn.call(bad)).toThrow(ModuleError);
    expect(() => bn.call(bad)).toThrow(/BatchNorm2D 'bn'.*3 maps.*\(2, 4, 2, 2\)/);
    const flat = gpuarray.zeros([2, 3]);
    expect(() => bn.call(flat)).toThrow(/4-D.*\(2, 3\)/);
    expect(bn.numOfProps).toBe(0);
    const inplace = new BatchNorm2D(3, { inplace: true });
    const xd = gpuarray.toGpu(HostArray.randn([2, 3, 2, 2], { seed: 22 }));
    expect(() => inplace.call(xd)).toThrow(/inplace.*train/);
    inplace.evalMode();
    const out = inplace.call(xd) as GPUArray;
    expect(out.sharesStorageWith(xd)).toBe(true);
    for (const m of [bn, inplace]) m.dispose();
    for (const a of [bad, flat, xd]) a.dispose();
  });

  it('train forward and backward in a loop keep the live-buffer count flat', () => {
    const bn = new BatchNorm2D(3);
    const xd = gpuarray.toGpu(HostArray.randn([2, 3, 2, 2], { seed: 23 }));
    const gd = gpuarray.toGpu(HostArray.randn([2, 3, 2, 2], { seed: 24 }));
    bn.call(xd);
    bn.backward(gd);
    expectNoLeak(() => {
      for (let i = 0; i < 4; i++) {
        bn.call(xd);
        bn.backward(gd, { updGrad: i % 2 === 1 });
      }
    });
    bn.dispose();
    xd.dispose();
    gd.dispose();
  });
});
