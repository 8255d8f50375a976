import { gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Add } from './add.js';
import { ModuleError } from './errors.js';

describeEngines('Add', () => {
  it('sums its inputs and hands each input its own handle of the gradient', () => {
    const shape = [3, 5];
    const xs = [1, 2, 3].map((s) => randomData(shape, s));
    const add = new Add();
    const inputs = xs.map((x) => gpuarray.toGpu(x.host));
    const out = add.call(inputs) as GPUArray;
    expectClose(out.get().data, xs[0]!.f64.map((v, k) => v + xs[1]!.f64[k]! + xs[2]!.f64[k]!), TOLERANCES.float32);
    expect(add.dataShapeFrom([shape, shape, shape])).toEqual(shape);

    const g = randomData(shape, 9);
    const gd = gpuarray.toGpu(g.host);
    add.backward(gd);
    const grads = add.grad as GPUArray[];
    expect(grads).toHaveLength(3);
    expect(new Set([gd, ...grads]).size).toBe(4);
    grads.forEach((gr) => expectClose(gr.get().data, g.f64, TOLERANCES.float32));
    expect(add.gradShapeFrom(shape)).toEqual([shape, shape, shape]);
    add.dispose();
    // Disposing the module's gradient handles leaves the caller's gradient usable.
    expectClose(gd.get().data, g.f64, TOLERANCES.float32);
    [...inputs, gd].forEach((a) => a.dispose());
  });

  it('backward matches finite differences', () => {
    checkModuleGradients(new Add(), [HostArray.randn([2, 3], { seed: 1 }), HostArray.randn([2, 3], { seed: 2 })], { asList: true });
  });

  it('rejects unequal shapes naming both', () => {
    const a = gpuarray.zeros([2, 3]);
    const b = gpuarray.zeros([3, 2]);
    expect(() => new Add({ name: 'sum' }).call([a, b])).toThrow(ModuleError);
    expect(() => new Add({ name: 'sum' }).call([a, b])).toThrow(/Add 'sum'.*\(3, 2\).*\(2, 3\)/);
    a.dispose();
    b.dispose();
  });
});
