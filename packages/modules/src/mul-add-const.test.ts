import { gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { MulAddConst } from './mul-add-const.js';

describeEngines('MulAddConst', () => {
  it('y = a·x + b and dx = a·g', () => {
    const x = randomData([3, 4], 1);
    const g = randomData([3, 4], 2);
    const mod = new MulAddConst(-1.5, 0.25);
    const xd = gpuarray.toGpu(x.host);
    const gd = gpuarray.toGpu(g.host);
    expectClose((mod.call(xd) as GPUArray).get().data, x.f64.map((v) => -1.5 * v + 0.25), TOLERANCES.float32);
    mod.backward(gd);
    expectClose((mod.grad as GPUArray).get().data, g.f64.map((v) => -1.5 * v), TOLERANCES.float32);
    mod.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('in place, overwrites the input and the incoming gradient', () => {
    const x = randomData([5], 3);
    const g = randomData([5], 4);
    const mod = new MulAddConst(2, 1, { inplace: true });
    const xd = gpuarray.toGpu(x.host);
    const gd = gpuarray.toGpu(g.host);
    mod.call(xd);
    expectClose(xd.get().data, x.f64.map((v) => 2 * v + 1), TOLERANCES.float32);
    mod.backward(gd);
    expectClose(gd.get().data, g.f64.map((v) => 2 * v), TOLERANCES.float32);
    expect((mod.grad as GPUArray).sharesStorageWith(gd)).toBe(true);
    mod.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('backward matches finite differences', () => {
    checkModuleGradients(new MulAddConst(0.7, -2), [HostArray.randn([3, 2], { seed: 5 })]);
  });
});
