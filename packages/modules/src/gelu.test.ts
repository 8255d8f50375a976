import { gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Gelu } from './gelu.js';
import { erf64 } from './test-support/erf64.js';

const gelu64 = (x: number) => 0.5 * x * (1 + erf64(x / Math.SQRT2));
// The true derivative Φ(x) + x·φ(x) (PuzzleLib's kernel has x/√π in place of x/√(2π)).
const geluDer64 = (x: number) => 0.5 * (1 + erf64(x / Math.SQRT2)) + (x * Math.exp((-x * x) / 2)) / Math.sqrt(2 * Math.PI);

describeEngines('Gelu', () => {
  it('forward is x·Φ(x) with the exact erf; backward is g·(Φ(x) + x·φ(x))', () => {
    const x = randomData([6, 7], 1, 1.5);
    const g = randomData([6, 7], 2);
    const gelu = new Gelu();
    const xd = gpuarray.toGpu(x.host);
    const gd = gpuarray.toGpu(g.host);
    expectClose((gelu.call(xd) as GPUArray).get().data, x.f64.map(gelu64), TOLERANCES.float32);
    gelu.backward(gd);
    expectClose((gelu.grad as GPUArray).get().data, x.f64.map((v, i) => g.f64[i]! * geluDer64(v)), TOLERANCES.float32);
    gelu.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('backward matches finite differences', () => {
    checkModuleGradients(new Gelu(), [HostArray.randn([4, 5], { seed: 3 })]);
  });

  it('in place, overwrites input and gradient yet differentiates at the original input', () => {
    const x = randomData([12], 4, 1.5);
    const g = randomData([12], 5);
    const gelu = new Gelu({ inplace: true });
    const xd = gpuarray.toGpu(x.host);
    const gd = gpuarray.toGpu(g.host);
    gelu.call(xd);
    expectClose(xd.get().data, x.f64.map(gelu64), TOLERANCES.float32);
    gelu.backward(gd);
    expectClose(gd.get().data, x.f64.map((v, i) => g.f64[i]! * geluDer64(v)), TOLERANCES.float32);
    expect((gelu.grad as GPUArray).sharesStorageWith(gd)).toBe(true);
    gelu.dispose();
    xd.dispose();
    gd.dispose();
  });
});
