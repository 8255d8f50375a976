import { gpuarray, HostArray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, distinctData, expectClose, pool64, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { MaxPool2D } from './max-pool2d.js';

describeEngines('MaxPool2D', () => {
  it('defaults to 2×2 windows with stride 2 against float64 loops', () => {
    const pool = new MaxPool2D();
    const x = distinctData([2, 3, 6, 6], 1);
    const xd = gpuarray.toGpu(x.host);
    const out = pool.call(xd) as GPUArray;
    expect(out.shape).toEqual([2, 3, 3, 3]);
    expectClose(out.get().toFloat32(), pool64(x.f64, [2, 3, 6, 6], { size: [2, 2], stride: [2, 2], pad: [0, 0], mode: 'max' }).y, TOLERANCES.float32);
    pool.dispose();
    xd.dispose();
  });

  it('pads with −∞ on per-axis windows against float64 loops', () => {
    const pool = new MaxPool2D({ size: [3, 2], stride: [2, 1], pad: [1, 1] });
    // All negative, so a zero padding would win every border window.
    const values = distinctData([2, 2, 5, 4], 2).f64.map((v) => v - 10);
    const xd = gpuarray.toGpu(HostArray.from(values, { shape: [2, 2, 5, 4] }));
    const out = pool.call(xd) as GPUArray;
    const ref = pool64(values, [2, 2, 5, 4], { size: [3, 2], stride: [2, 1], pad: [1, 1], mode: 'max' });
    expect(out.shape).toEqual(ref.shape);
    expectClose(out.get().toFloat32(), ref.y, TOLERANCES.float32);
    pool.dispose();
    xd.dispose();
  });

  it('backward matches finite differences (gradient to each window maximum)', () => {
    const pool = new MaxPool2D({ size: 3, stride: 2, pad: 1 });
    checkModuleGradients(pool, [distinctData([2, 2, 6, 5], 3).host]);
    pool.dispose();
  });

  it('rejects bad windows and bad input with ModuleErrors naming the module and shapes', () => {
    expect(() => new MaxPool2D({ size: 2, pad: 2, name: 'p' })).toThrow(/MaxPool2D 'p'.*pad \[2, 2\].*size \[2, 2\]/);
    const pool = new MaxPool2D({ size: 3, name: 'p' });
    const bad = { small: gpuarray.zeros([1, 1, 2, 5]), rank: gpuarray.zeros([1, 4, 4]), ints: gpuarray.zeros([1, 1, 4, 4], 'int32') };
    expect(() => pool.call(bad.small)).toThrow(ModuleError);
    expect(() => pool.call(bad.small)).toThrow(/MaxPool2D 'p'.*\[3, 3\].*\(1, 1, 2, 5\)/);
    expect(() => pool.call(bad.rank)).toThrow(/MaxPool2D 'p'.*4-D.*\(1, 4, 4\)/);
    expect(() => pool.call(bad.ints)).toThrow(/MaxPool2D 'p'.*int32/);
    expect(pool.data).toBeNull();
    Object.values(bad).forEach((a) => a.dispose());
  });
});
