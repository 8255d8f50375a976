import { gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { Replicate } from './replicate.js';

describeEngines('Replicate', () => {
  it('outputs views of the input and sums the gradients', () => {
    const shape = [4, 3, 2, 2];
    const x = randomData(shape, 1);
    const rep = new Replicate(3);
    const xd = gpuarray.toGpu(x.host);
    const outs = rep.call(xd) as GPUArray[];
    expect(outs).toHaveLength(3);
    expect(new Set(outs).size).toBe(3);
    outs.forEach((o) => expectClose(o.get().data, x.f64, TOLERANCES.float32));
    expect(rep.dataShapeFrom(shape)).toEqual([shape, shape, shape]);

    const gs = [0, 1, 2].map((i) => randomData(shape, 10 + i));
    const gds = gs.map((g) => gpuarray.toGpu(g.host));
    rep.backward(gds);
    const expected = x.f64.map((_, k) => gs[0]!.f64[k]! + gs[1]!.f64[k]! + gs[2]!.f64[k]!);
    expectClose((rep.grad as GPUArray).get().data, expected, TOLERANCES.float32);
    expect(rep.gradShapeFrom([shape, shape, shape])).toEqual(shape);

    expectNoLeak(() => {
      rep.call(xd);
      rep.backward(gds);
    });
    rep.dispose();
    expectClose(xd.get().data, x.f64, TOLERANCES.float32);
    [xd, ...gds].forEach((a) => a.dispose());
  });

  it('backward matches finite differences', () => {
    checkModuleGradients(new Replicate(2), [HostArray.randn([3, 4], { seed: 2 })]);
  });

  it('rejects a gradient list of the wrong length', () => {
    const rep = new Replicate(2, { name: 'rep' });
    const xd = gpuarray.zeros([2, 2]);
    rep.call(xd);
    expect(() => rep.backward([xd])).toThrow(ModuleError);
    expect(() => rep.backward([xd])).toThrow(/Replicate 'rep'.*\[\(2, 2\)\].*\[\(2, 2\), \(2, 2\)\]/);
    expect(() => new Replicate(0)).toThrow(/positive integer/);
    rep.dispose();
    xd.dispose();
  });
});
