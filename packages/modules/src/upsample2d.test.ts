import { gpuarray, HostArray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { Upsample2D } from './upsample2d.js';

/** Float64 upsampling of (maps, H, W): nearest blocks or align-corners bilinear with the upper neighbour clamped. */
function upsample64(x: Float64Array, maps: number, [h, w]: readonly [number, number], [sh, sw]: readonly [number, number], mode: 'nearest' | 'linear'): Float64Array {
  const [ho, wo] = [h * sh, w * sw];
  const taps = (o: number, len: number, s: number, out: number): [number, number][] => {
    if (mode === 'nearest') return [[Math.floor(o / s), 1]];
    const src = out > 1 ? ((len - 1) / (out - 1)) * o : 0;
    const lo = Math.floor(src);
    return [[lo, 1 - (src - lo)], [Math.min(lo + 1, len - 1), src - lo]];
  };
  const y = new Float64Array(maps * ho * wo);
  for (let m = 0; m < maps; m++) {
    for (let r = 0; r < ho; r++) {
      for (let c = 0; c < wo; c++) {
        for (const [ty, wy] of taps(r, h, sh, ho)) for (const [tx, wx] of taps(c, w, sw, wo)) y[(m * ho + r) * wo + c]! += wy * wx * x[(m * h + ty) * w + tx]!;
      }
    }
  }
  return y;
}

describeEngines('Upsample2D', () => {
  const cases = [
    { shape: [3, 4, 5, 6], scale: 2, mode: 'nearest' as const },
    { shape: [2, 2, 4, 3], scale: [2, 3] as const, mode: 'linear' as const },
  ];
  for (const { shape, scale, mode } of cases) {
    it(`${mode} ×${JSON.stringify(scale)}: forward against float64, shapes, and finite-difference backward`, () => {
      const up = new Upsample2D(scale, { mode });
      const x = randomData(shape, 1);
      const xd = gpuarray.toGpu(x.host);
      const out = up.call(xd) as GPUArray;
      const scales = typeof scale === 'number' ? ([scale, scale] as const) : scale;
      expect(out.shape).toEqual(up.dataShapeFrom(shape));
      expect(up.gradShapeFrom(out.shape)).toEqual(shape);
      expectClose(out.get().data, upsample64(x.f64, shape[0]! * shape[1]!, [shape[2]!, shape[3]!], scales, mode), TOLERANCES.float32);
      checkModuleGradients(up, [HostArray.randn([2, 2, 3, 2], { seed: 2 })]);
      up.dispose();
      xd.dispose();
    });
  }

  it('rejects non-4-D data and bad scales, and keeps live buffers flat', () => {
    const xd = gpuarray.toGpu(HostArray.randn([2, 3, 4], { seed: 3 }));
    expect(() => new Upsample2D(2, { name: 'up' }).call(xd)).toThrow(ModuleError);
    expect(() => new Upsample2D(2, { name: 'up' }).call(xd)).toThrow(/Upsample2D 'up'.*4-D.*\(2, 3, 4\)/);
    expect(() => new Upsample2D(0)).toThrow(/scale/);
    const up = new Upsample2D(2, { mode: 'linear' });
    const x4 = gpuarray.toGpu(HostArray.randn([1, 2, 3, 3], { seed: 4 }));
    up.call(x4);
    up.backward(up.data as GPUArray);
    expectNoLeak(() => {
      up.call(x4);
      up.backward(up.data as GPUArray);
    });
    up.dispose();
    xd.dispose();
    x4.dispose();
  });
});
