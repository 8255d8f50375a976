import { gpuarray, HostArray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { SwapAxes } from './swap-axes.js';
import { transpose64 } from './test-support/permute64.js';

describeEngines('SwapAxes', () => {
  it('equals numpy swapaxes for every pair of axes of (3, 2, 4, 2), forward and backward', () => {
    const shape = [3, 2, 4, 2];
    const x = randomData(shape, 1);
    const xd = gpuarray.toGpu(x.host);
    for (let a = 0; a < 4; a++) {
      for (let b = a + 1; b < 4; b++) {
        const axes = [0, 1, 2, 3].map((i) => (i === a ? b : i === b ? a : i));
        const swap = new SwapAxes(b, a);
        const out = swap.call(xd) as GPUArray;
        expect(out.shape).toEqual(swap.dataShapeFrom(shape));
        expectClose(out.get().data, transpose64(x.f64, shape, axes), TOLERANCES.float32, `swap ${a}, ${b}`);
        const g = randomData([...out.shape], 2);
        const gd = gpuarray.toGpu(g.host);
        swap.backward(gd);
        expectClose((swap.grad as GPUArray).get().data, transpose64(g.f64, out.shape, axes), TOLERANCES.float32, `backward ${a}, ${b}`);
        expect(swap.gradShapeFrom(out.shape)).toEqual(shape);
        swap.dispose();
        gd.dispose();
      }
    }
    xd.dispose();
  });

  it('backward matches finite differences; too few dims raise a ModuleError naming the module', () => {
    const swap = new SwapAxes(0, 2, { name: 'sw' });
    checkModuleGradients(swap, [HostArray.randn([2, 3, 2], { seed: 3 })]);
    const xd = gpuarray.zeros([2, 3]);
    expect(() => swap.call(xd)).toThrow(ModuleError);
    expect(() => swap.call(xd)).toThrow(/SwapAxes 'sw'.*3-D.*\(2, 3\)/);
    swap.dispose();
    xd.dispose();
  });
});
