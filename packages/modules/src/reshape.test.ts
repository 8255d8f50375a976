import { gpuarray, GPUArray } from '@puzzle/backend';
import { describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { Reshape } from './reshape.js';

const CASES: [number[], number[], number[]][] = [
  [[4, 3, 5, 2], [4, -1, 10], [4, 3, 10]],
  [[1, 4, 7, 7], [0, 2, -1, 0], [1, 2, 14, 7]],
];

describeEngines('Reshape', () => {
  for (const [inshape, target, expected] of CASES) {
    it(`reshapes ${inshape} with [${target}] into ${expected}`, () => {
      const x = randomData(inshape, 1);
      const xd = gpuarray.toGpu(x.host);
      const mod = new Reshape(target);
      const out = mod.call(xd) as GPUArray;
      expect(out.shape).toEqual(expected);
      expectClose(out.get().data, x.f64, TOLERANCES.float32);
      const g = randomData(expected, 2);
      const gd = gpuarray.toGpu(g.host);
      mod.backward(gd);
      expect((mod.grad as GPUArray).shape).toEqual(inshape);
      expectClose((mod.grad as GPUArray).get().data, g.f64, TOLERANCES.float32);
      expect(mod.dataShapeFrom(inshape)).toEqual(expected);
      expect(mod.gradShapeFrom(expected)).toEqual(inshape);
      mod.dispose();
      xd.dispose();
      gd.dispose();
    });
  }

  it('rejects sizes that cannot match, naming both shapes', () => {
    const xd = gpuarray.zeros([2, 3, 5]);
    expect(() => new Reshape([2, -1, 4]).call(xd)).toThrow(ModuleError);
    expect(() => new Reshape([2, -1, 4]).call(xd)).toThrow(/\(2, 3, 5\).*\(2, -1, 4\)/);
    expect(() => new Reshape([7, 5]).call(xd)).toThrow(/\(2, 3, 5\).*\(7, 5\)/);
    expect(() => new Reshape([0, 0, 0, 0]).call(xd)).toThrow(/cannot reshape/);
    expect(() => new Reshape([-1, -1])).toThrow(/at most one -1/);
    xd.dispose();
  });
});
