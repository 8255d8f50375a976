import { gpuarray, HostArray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BatchNorm } from './batch-norm.js';
import { ModuleError } from './errors.js';
import { normalise64, stats64 } from './test-support/batch-norm64.js';

const f64 = (a: GPUArray) => Float64Array.from(a.get().toFloat32());

describeEngines('BatchNorm', () => {
  it('normalises each feature over the batch in train mode and with the running stats in eval mode', () => {
    const bn = new BatchNorm(5);
    expect(bn.scale.shape).toEqual([1, 5, 1, 1]);
    bn.bias.set(randomData([1, 5, 1, 1], 1).host);
    const x = randomData([8, 5], 2, 3, -1);
    const xd = gpuarray.toGpu(x.host);
    const out = bn.call(xd) as GPUArray;
    // (N, size) seen as (N, size, 1): one statistic per feature.
    const { mean, variance } = stats64(x.f64, [8, 5, 1]);
    expectClose(out.get().data, normalise64(x.f64, [8, 5, 1], { mean, variance, scale: f64(bn.scale), bias: f64(bn.bias) }), TOLERANCES.float32, 'train output');
    expectClose(bn.saveinvvar!.get().data, variance.map((v) => 1 / Math.sqrt(v + 1e-5)), TOLERANCES.float32, 'saveinvvar');
    expectClose(bn.var.get().data, variance.map((v) => (v * 8) / 7), TOLERANCES.float32, 'running var');

    bn.evalMode();
    const y = randomData([3, 5], 3);
    const yd = gpuarray.toGpu(y.host);
    const evalOut = bn.call(yd) as GPUArray;
    expectClose(evalOut.get().data, normalise64(y.f64, [3, 5, 1], { mean: f64(bn.mean), variance: f64(bn.var), scale: f64(bn.scale), bias: f64(bn.bias) }), TOLERANCES.float32, 'eval output');
    bn.dispose();
    xd.dispose();
    yd.dispose();
  });

  it('backward matches finite differences in train mode', () => {
    const bn = new BatchNorm(4, { sscale: 0.5 });
    bn.bias.set(randomData([1, 4, 1, 1], 4).host);
    checkModuleGradients(bn, [HostArray.randn([6, 4], { seed: 5 })]);
    bn.dispose();
  });

  it('rejects data of another width, naming the module and shape', () => {
    const bn = new BatchNorm(4, { name: 'bn' });
    const bad = gpuarray.zeros([3, 5]);
    expect(() => bn.call(bad)).toThrow(ModuleError);
    expect(() => bn.call(bad)).toThrow(/BatchNorm 'bn'.*\(batch, 4\).*\(3, 5\)/);
    expect(bn.numOfProps).toBe(0);
    bn.dispose();
    bad.dispose();
  });
});
