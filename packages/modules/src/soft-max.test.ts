import { gpuarray, HostArray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { SoftMax } from './soft-max.js';

/** Float64 softmax over axis 1 of data seen as (N, C, S). */
function softmax64(x: Float64Array, n: number, c: number, s: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < s; p++) {
      const idx = Array.from({ length: c }, (_, k) => (b * c + k) * s + p);
      const max = Math.max(...idx.map((i) => x[i]!));
      const total = idx.reduce((a, i) => a + Math.exp(x[i]! - max), 0);
      idx.forEach((i) => (out[i] = Math.exp(x[i]! - max) / total));
    }
  }
  return out;
}

describeEngines('SoftMax', () => {
  for (const shape of [[2, 3, 1], [4, 5], [2, 3, 2, 2]]) {
    it(`is a softmax over axis 1 of (${shape.join(', ')}) and its backward matches finite differences`, () => {
      const sm = new SoftMax();
      const x = randomData(shape, 1, 2);
      const xd = gpuarray.toGpu(x.host);
      const [n, c] = shape as [number, number];
      expectClose((sm.call(xd) as GPUArray).get().data, softmax64(x.f64, n, c, x.f64.length / (n * c)), TOLERANCES.float32);
      checkModuleGradients(sm, [x.host]);
      sm.dispose();
      xd.dispose();
    });
  }

  it('rejects 1-D data naming the module, and keeps live buffers flat', () => {
    const sm = new SoftMax({ name: 'sm' });
    const bad = gpuarray.zeros([5]);
    expect(() => sm.call(bad)).toThrow(ModuleError);
    expect(() => sm.call(bad)).toThrow(/SoftMax 'sm'.*\(5,\)/);
    const xd = gpuarray.toGpu(HostArray.randn([3, 4], { seed: 2 }));
    sm.call(xd);
    sm.backward(xd);
    expectNoLeak(() => {
      sm.call(xd);
      sm.backward(xd);
    });
    sm.dispose();
    bad.dispose();
    xd.dispose();
  });
});
