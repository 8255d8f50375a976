import { gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { Slice } from './slice.js';

describeEngines('Slice', () => {
  it('copies x[:, :, 1:-1, 1:-1] of (3, 4, 5, 6); backward writes g into zeros at the slice', () => {
    const x = randomData([3, 4, 5, 6], 1);
    const slc = new Slice().select(null, null, [1, -1], [1, -1]);
    const xd = gpuarray.toGpu(x.host);
    const out = slc.call(xd) as GPUArray;
    expect(out.shape).toEqual([3, 4, 3, 4]);
    expect(slc.dataShapeFrom([3, 4, 5, 6])).toEqual([3, 4, 3, 4]);
    const expected: number[] = [];
    const inside: boolean[] = [];
    for (let n = 0; n < 3; n++)
      for (let c = 0; c < 4; c++)
        for (let h = 0; h < 5; h++)
          for (let w = 0; w < 6; w++) {
            const keep = h >= 1 && h < 4 && w >= 1 && w < 5;
            inside.push(keep);
            if (keep) expected.push(x.f64[((n * 4 + c) * 5 + h) * 6 + w]!);
          }
    expectClose(out.get().data, expected, TOLERANCES.float32);

    const g = randomData([3, 4, 3, 4], 2);
    const gd = gpuarray.toGpu(g.host);
    slc.backward(gd);
    let k = 0;
    const expectedGrad = inside.map((keep) => (keep ? g.f64[k++]! : 0));
    expectClose((slc.grad as GPUArray).get().data, expectedGrad, TOLERANCES.float32);
    expect(slc.gradShapeFrom([3, 4, 3, 4])).toEqual([3, 4, 5, 6]);
    slc.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('integer indices drop their axis', () => {
    const x = randomData([4, 5], 3);
    const slc = new Slice([2, [1, 4]]);
    const xd = gpuarray.toGpu(x.host);
    const out = slc.call(xd) as GPUArray;
    expect(out.shape).toEqual([3]);
    expectClose(out.get().data, [11, 12, 13].map((i) => x.f64[i]!), TOLERANCES.float32);
    slc.dispose();
    xd.dispose();
  });

  it('backward matches finite differences', () => {
    checkModuleGradients(new Slice([[1, 3], [0, -1]]), [HostArray.randn([4, 3], { seed: 5 })]);
  });

  it('rejects ranges outside the input, naming the shape; leaks nothing', () => {
    const xd = gpuarray.zeros([2, 3]);
    const slc = new Slice([null, [1, 5]], { name: 's' });
    expectNoLeak(() => {
      expect(() => slc.call(xd)).toThrow(ModuleError);
      expect(() => slc.call(xd)).toThrow(/Slice 's'.*\[1, 5\).*\(2, 3\)/);
    });
    expect(() => new Slice().call(xd)).toThrow(/no slice/);
    expect(() => new Slice([null, null, null]).call(xd)).toThrow(/3 ranges.*\(2, 3\)/);
    xd.dispose();
  });
});
