import { gpuarray, HostArray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, pool64, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { AvgPool1D } from './avg-pool1d.js';

describeEngines('AvgPool1D', () => {
  for (const includePad of [true, false]) {
    it(`pools (N, C, L) against float64 loops and finite differences (includePad=${includePad})`, () => {
      const pool = new AvgPool1D({ size: 3, stride: 2, pad: 1, includePad });
      const x = randomData([2, 6, 5], 1);
      const xd = gpuarray.toGpu(x.host);
      const out = pool.call(xd) as GPUArray;
      const ref = pool64(x.f64, [2, 6, 1, 5], { size: [1, 3], stride: [1, 2], pad: [0, 1], mode: includePad ? 'avgWithPad' : 'avgNoPad' });
      expect(out.shape).toEqual([2, 6, 3]);
      expectClose(out.get().toFloat32(), ref.y, TOLERANCES.float32);
      xd.dispose();
      checkModuleGradients(pool, [HostArray.randn([2, 3, 5], { seed: 2 })]);
      pool.dispose();
    });
  }
});
