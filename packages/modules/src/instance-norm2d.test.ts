import { gpuarray, HostArray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { InstanceNorm2D } from './instance-norm2d.js';

/** Float64 instance norm: each (n, c) map of S pixels normalised, then scale_c·x̂ + bias_c. */
function instanceNorm64(x: Float64Array, maps: number, s: number, scale: ArrayLike<number>, bias: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  for (let map = 0; map < x.length / s; map++) {
    const xs = x.subarray(map * s, (map + 1) * s);
    const mean = xs.reduce((a, v) => a + v, 0) / s;
    const invstd = 1 / Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / s + 1e-5);
    const c = map % maps;
    xs.forEach((v, p) => (out[map * s + p] = (v - mean) * invstd * scale[c]! + bias[c]!));
  }
  return out;
}

describeEngines('InstanceNorm2D', () => {
  it('normalises every (n, c) map over its pixels, the same in train and eval mode', () => {
    const norm = new InstanceNorm2D(3);
    const scale = randomData([1, 3, 1, 1], 1, 0.5, 1);
    const bias = randomData([1, 3, 1, 1], 2);
    norm.scale.set(scale.host);
    norm.bias.set(bias.host);
    const x = randomData([4, 3, 3, 4], 3, 2, 1);
    const xd = gpuarray.toGpu(x.host);
    const ref = instanceNorm64(x.f64, 3, 12, scale.f64, bias.f64);
    expectClose((norm.call(xd) as GPUArray).get().data, ref, TOLERANCES.float32, 'train output');
    norm.evalMode();
    expectClose((norm.call(xd) as GPUArray).get().data, ref, TOLERANCES.float32, 'eval output');
    norm.dispose();
    xd.dispose();
  });

  it('backward matches finite differences, with the scale/momentum rule for scale and bias', () => {
    const norm = new InstanceNorm2D(2);
    norm.scale.set(randomData([1, 2, 1, 1], 4, 0.5, 1).host);
    norm.bias.set(randomData([1, 2, 1, 1], 5).host);
    checkModuleGradients(norm, [HostArray.randn([3, 2, 2, 3], { seed: 6 })]);
    norm.dispose();
  });

  it('without affine propagates the input grad and leaves parameter grads alone', () => {
    const norm = new InstanceNorm2D(2, { affine: false });
    const xd = gpuarray.toGpu(HostArray.randn([2, 2, 2, 2], { seed: 7 }));
    const gd = gpuarray.toGpu(HostArray.randn([2, 2, 2, 2], { seed: 8 }));
    norm.call(xd);
    norm.backward(gd);
    expect((norm.grad as GPUArray).shape).toEqual([2, 2, 2, 2]);
    expect(Array.from(norm.getVar('scale').grad!.get().data)).toEqual([0, 0]);
    norm.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('rejects non-4-D data and wrong maps, and keeps live buffers flat in a loop', () => {
    const norm = new InstanceNorm2D(3, { name: 'in' });
    const bad = gpuarray.zeros([2, 4, 2, 2]);
    expect(() => norm.call(bad)).toThrow(ModuleError);
    expect(() => norm.call(bad)).toThrow(/InstanceNorm2D 'in'.*3 maps.*\(2, 4, 2, 2\)/);
    const xd = gpuarray.toGpu(HostArray.randn([2, 3, 2, 2], { seed: 9 }));
    norm.call(xd);
    norm.backward(xd);
    expectNoLeak(() => {
      for (let i = 0; i < 3; i++) {
        norm.call(xd);
        norm.backward(xd);
      }
    });
    norm.dispose();
    bad.dispose();
    xd.dispose();
  });
});
