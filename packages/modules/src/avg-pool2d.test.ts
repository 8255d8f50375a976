import { gpuarray, HostArray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, pool64, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { AvgPool2D } from './avg-pool2d.js';

describeEngines('AvgPool2D', () => {
  for (const includePad of [true, false]) {
    const mode = includePad ? 'avgWithPad' : 'avgNoPad';

    it(`forward matches float64 loops (includePad=${includePad})`, () => {
      const pool = new AvgPool2D({ size: 3, stride: [1, 2], pad: 1, includePad });
      const x = randomData([2, 3, 6, 5], 1);
      const xd = gpuarray.toGpu(x.host);
      const out = pool.call(xd) as GPUArray;
      const ref = pool64(x.f64, [2, 3, 6, 5], { size: [3, 3], stride: [1, 2], pad: [1, 1], mode });
      expect(out.shape).toEqual(ref.shape);
      expectClose(out.get().toFloat32(), ref.y, TOLERANCES.float32);
      pool.dispose();
      xd.dispose();
    });

    it(`backward matches finite differences (includePad=${includePad})`, () => {
      const pool = new AvgPool2D({ size: 3, stride: 2, pad: 1, includePad });
      checkModuleGradients(pool, [HostArray.randn([2, 2, 5, 6], { seed: 2 })]);
      pool.dispose();
    });
  }

  it('defaults to 2×2 windows, stride 2, including the pad', () => {
    const pool = new AvgPool2D();
    expect(pool.mode).toBe('avgWithPad');
    expect(pool.dataShapeFrom([1, 2, 6, 7])).toEqual([1, 2, 3, 3]);
    expect(pool.gradShapeFrom([1, 2, 3, 3])).toEqual([1, 2, 6, 6]);
  });
});
