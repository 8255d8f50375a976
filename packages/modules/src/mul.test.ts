import { gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { Mul } from './mul.js';

describeEngines('Mul', () => {
  it('multiplies its inputs; dxᵢ = g·Π of the others', () => {
    const shape = [4, 3];
    const xs = [1, 2, 3].map((s) => randomData(shape, s));
    const mul = new Mul();
    const inputs = xs.map((x) => gpuarray.toGpu(x.host));
    const out = mul.call(inputs) as GPUArray;
    const product = (skip: number) => xs[0]!.f64.map((_, k) => xs.reduce((p, x, i) => (i === skip ? p : p * x.f64[k]!), 1));
    expectClose(out.get().data, product(-1), TOLERANCES.float32);

    const g = randomData(shape, 7);
    const gd = gpuarray.toGpu(g.host);
    mul.backward(gd);
    (mul.grad as GPUArray[]).forEach((gr, i) => {
      expectClose(gr.get().data, product(i).map((v, k) => v * g.f64[k]!), TOLERANCES.float32, `grad ${i}`);
    });
    expect(mul.gradShapeFrom(shape)).toEqual([shape, shape, shape]);
    mul.dispose();
    [...inputs, gd].forEach((a) => a.dispose());
  });

  it('backward matches finite differences', () => {
    const inputs = [5, 6, 7].map((seed) => HostArray.randn([2, 3], { seed }));
    checkModuleGradients(new Mul(), inputs, { asList: true });
  });

  it('rejects unequal shapes', () => {
    const a = gpuarray.zeros([2, 3]);
    const b = gpuarray.zeros([2, 4]);
    expect(() => new Mul().call([a, b])).toThrow(ModuleError);
    expect(() => new Mul().call([a, b])).toThrow(/\(2, 4\).*\(2, 3\)/);
    a.dispose();
    b.dispose();
  });
});
