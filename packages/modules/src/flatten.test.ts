import { gpuarray, GPUArray } from '@puzzle/backend';
import { describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { Flatten } from './flatten.js';

describeEngines('Flatten', () => {
  it('flattens all but the batch axis and reshapes the gradient back', () => {
    const x = randomData([3, 2, 4, 5], 1);
    const g = randomData([3, 40], 2);
    const flat = new Flatten();
    const xd = gpuarray.toGpu(x.host);
    const out = flat.call(xd) as GPUArray;
    expect(out.shape).toEqual([3, 40]);
    expectClose(out.get().data, x.f64, TOLERANCES.float32);
    const gd = gpuarray.toGpu(g.host);
    flat.backward(gd);
    const grad = flat.grad as GPUArray;
    expect(grad.shape).toEqual([3, 2, 4, 5]);
    expectClose(grad.get().data, g.f64, TOLERANCES.float32);
    expect(flat.dataShapeFrom([3, 2, 4, 5])).toEqual([3, 40]);
    expect(flat.gradShapeFrom([3, 40])).toEqual([3, 2, 4, 5]);
    flat.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('copies a strided input before reshaping', () => {
    const x = randomData([4, 6], 3);
    const xd = gpuarray.toGpu(x.host);
    const view = xd.slice(null, [1, 4]);
    const flat = new Flatten();
    const out = flat.call(view) as GPUArray;
    const expected = Array.from({ length: 12 }, (_, k) => x.f64[Math.floor(k / 3) * 6 + 1 + (k % 3)]!);
    expectClose(out.get().data, expected, TOLERANCES.float32);
    flat.dispose();
    view.dispose();
    xd.dispose();
  });

  it('rejects a wrong gradient shape naming both shapes, and leaks nothing', () => {
    const flat = new Flatten({ name: 'fl' });
    const xd = gpuarray.toGpu(randomData([2, 3, 4], 4).host);
    const bad = gpuarray.zeros([2, 11]);
    expectNoLeak(() => flat.call(xd));
    expect(() => flat.backward(bad)).toThrow(ModuleError);
    expect(() => flat.backward(bad)).toThrow(/Flatten 'fl'.*\(2, 11\).*\(2, 12\)/);
    expect(() => flat.call([xd, xd])).toThrow(/single array/);
    flat.dispose();
    xd.dispose();
    bad.dispose();
  });
});
