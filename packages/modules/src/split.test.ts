import { gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { Split } from './split.js';
import { concat64, take64 } from './test-support/nd64.js';

describeEngines('Split', () => {
  it('cuts (5, 3, 4) on axis 2 into sizes (3, 1) and concatenates the gradients back', () => {
    const x = randomData([5, 3, 4], 1);
    const split = new Split(2, [3, 1]);
    const xd = gpuarray.toGpu(x.host);
    const outs = split.call(xd) as GPUArray[];
    const shapes = [
      [5, 3, 3],
      [5, 3, 1],
    ];
    expect(outs.map((o) => o.shape)).toEqual(shapes);
    expect(split.dataShapeFrom([5, 3, 4])).toEqual(shapes);
    expectClose(outs[0]!.get().data, take64({ data: x.f64, shape: [5, 3, 4] }, 2, 0, 3), TOLERANCES.float32);
    expectClose(outs[1]!.get().data, take64({ data: x.f64, shape: [5, 3, 4] }, 2, 3, 1), TOLERANCES.float32);

    const gs = shapes.map((s, i) => randomData(s, 5 + i));
    const gds = gs.map((g) => gpuarray.toGpu(g.host));
    split.backward(gds);
    const grad = split.grad as GPUArray;
    expect(grad.shape).toEqual([5, 3, 4]);
    expectClose(grad.get().data, concat64(gs.map((g, i) => ({ data: g.f64, shape: shapes[i]! })), 2), TOLERANCES.float32);
    expect(split.gradShapeFrom(shapes)).toEqual([5, 3, 4]);
    split.dispose();
    [xd, ...gds].forEach((a) => a.dispose());
  });

  it('backward matches finite differences', () => {
    checkModuleGradients(new Split(1, [2, 1, 2]), [HostArray.randn([3, 5], { seed: 4 })]);
  });

  it('rejects sections that do not sum to the axis, naming the shape', () => {
    const xd = gpuarray.zeros([2, 6]);
    expect(() => new Split(1, [2, 3], { name: 'sp' }).call(xd)).toThrow(ModuleError);
    expect(() => new Split(1, [2, 3], { name: 'sp' }).call(xd)).toThrow(/Split 'sp'.*\[2, 3\].*\(2, 6\)/);
    const split = new Split(1, [2, 4]);
    split.call(xd);
    const bad = gpuarray.zeros([2, 4]);
    expect(() => split.backward([bad, bad])).toThrow(/\[\(2, 4\), \(2, 4\)\].*\[\(2, 2\), \(2, 4\)\]/);
    split.dispose();
    xd.dispose();
    bad.dispose();
  });
});
