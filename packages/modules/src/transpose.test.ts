import { gpuarray, HostArray, type DType, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { transpose64 } from './test-support/permute64.js';
import { inversePermutation, Transpose } from './transpose.js';

describeEngines('Transpose', () => {
  for (const dtype of ['float32', 'float16'] as DType[]) {
    it(`permutes (4, 3, 2, 1, 2) by (2, 4, 1, 3, 0) and back in ${dtype}`, () => {
      const shape = [4, 3, 2, 1, 2];
      const axes = [2, 4, 1, 3, 0];
      const t = new Transpose(axes);
      t.calcMode(dtype);
      const x = HostArray.from(randomData(shape, 1).f64, { shape, dtype });
      const xd = gpuarray.toGpu(x);
      const out = t.call(xd) as GPUArray;
      expect(out.shape).toEqual(t.dataShapeFrom(shape));
      expectClose(out.get().toFloat32(), transpose64(x.toFloat32(), shape, axes), TOLERANCES.float32, 'forward');
      const g = HostArray.from(randomData([...out.shape], 2).f64, { shape: out.shape, dtype });
      const gd = gpuarray.toGpu(g);
      t.backward(gd);
      expect(t.gradShapeFrom(out.shape)).toEqual(shape);
      expectClose((t.grad as GPUArray).get().toFloat32(), transpose64(g.toFloat32(), out.shape, inversePermutation(axes)), TOLERANCES.float32, 'backward');
      t.dispose();
      xd.dispose();
      gd.dispose();
    });
  }

  it('reverses the axes by default; backward matches finite differences', () => {
    const t = new Transpose();
    checkModuleGradients(t, [HostArray.randn([2, 3, 4], { seed: 3 })]);
    expect(t.dataShapeFrom([2, 3, 4])).toEqual([4, 3, 2]);
    t.dispose();
  });

  it('rejects axes that are not a permutation and data of another rank; keeps live buffers flat', () => {
    expect(() => new Transpose([0, 2])).toThrow(ModuleError);
    expect(() => new Transpose([1, 1, 0])).toThrow(/not a permutation/);
    const t = new Transpose([1, 0, 2], { name: 'tr' });
    const xd = gpuarray.toGpu(HostArray.randn([2, 3], { seed: 4 }));
    expect(() => t.call(xd)).toThrow(/Transpose 'tr'.*3-D.*\(2, 3\)/);
    const swap = new Transpose([1, 0]);
    swap.call(xd);
    swap.backward(swap.data as GPUArray);
    expectNoLeak(() => {
      swap.call(xd);
      swap.backward(swap.data as GPUArray);
    });
    for (const m of [t, swap]) m.dispose();
    xd.dispose();
  });
});
