import { gpuarray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, distinctData, expectClose, pool64, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { MaxPool1D } from './max-pool1d.js';

describeEngines('MaxPool1D', () => {
  it('pools (N, C, L) like a (1, k) window against float64 loops', () => {
    const pool = new MaxPool1D({ size: 3, stride: 2, pad: 1 });
    const x = distinctData([2, 3, 7], 1);
    const xd = gpuarray.toGpu(x.host);
    const out = pool.call(xd) as GPUArray;
    const ref = pool64(x.f64, [2, 3, 1, 7], { size: [1, 3], stride: [1, 2], pad: [0, 1], mode: 'max' });
    expect(out.shape).toEqual([2, 3, 4]);
    expect(pool.dataShapeFrom([2, 3, 7])).toEqual([2, 3, 4]);
    expectClose(out.get().toFloat32(), ref.y, TOLERANCES.float32);
    pool.dispose();
    xd.dispose();
  });

  it('backward matches finite differences', () => {
    const pool = new MaxPool1D({ size: 3, stride: 2, pad: 1 });
    checkModuleGradients(pool, [distinctData([2, 2, 6], 2).host]);
    pool.dispose();
  });

  it('rejects 4-D input naming the 1-D layout', () => {
    const pool = new MaxPool1D({ name: 'p' });
    const x = gpuarray.zeros([1, 2, 1, 6]);
    expect(() => pool.call(x)).toThrow(/MaxPool1D 'p'.*3-D input \(N, C, L\).*\(1, 2, 1, 6\)/);
    x.dispose();
  });
});
