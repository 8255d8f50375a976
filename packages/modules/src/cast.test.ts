import { gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import { describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Cast } from './cast.js';
import { ModuleError } from './errors.js';

/** Nearest float16 value of x (normal and subnormal range), computed in float64. */
function roundToHalf(x: number): number {
  if (x === 0) return 0;
  const exponent = Math.max(Math.floor(Math.log2(Math.abs(x))), -14);
  const ulp = 2 ** (exponent - 10);
  return Math.round(x / ulp) * ulp;
}

describeEngines('Cast', () => {
  it('float32 → float16 forward rounds to half; the float16 gradient comes back as float32', () => {
    const x = randomData([3, 5], 1, 3);
    const cast = new Cast('float32', 'float16');
    const xd = gpuarray.toGpu(x.host);
    const out = cast.call(xd) as GPUArray;
    expect(out.dtype).toBe('float16');
    expectClose(out.get().toFloat32(), x.f64.map(roundToHalf), { rtol: 0, atol: 0 });

    const g = randomData([3, 5], 2);
    const gHalf = HostArray.from(g.f64.map(roundToHalf), { shape: [3, 5], dtype: 'float16' });
    const gd = gpuarray.toGpu(gHalf);
    cast.backward(gd);
    const grad = cast.grad as GPUArray;
    expect(grad.dtype).toBe('float32');
    expectClose(grad.get().data, g.f64.map(roundToHalf), { rtol: 0, atol: 0 });
    cast.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('float16 → float32 and identical types pass through', () => {
    const values = randomData([7], 3).f64.map(roundToHalf);
    const xd = gpuarray.toGpu(HostArray.from(values, { dtype: 'float16' }));
    const up = new Cast('float16', 'float32');
    const out = up.call(xd) as GPUArray;
    expect(out.dtype).toBe('float32');
    expectClose(out.get().data, values, TOLERANCES.float32);
    const same = new Cast('float16', 'float16');
    expect((same.call(xd) as GPUArray).dtype).toBe('float16');
    up.dispose();
    same.dispose();
    xd.dispose();
  });

  it('checks the input dtype against intype and the gradient dtype against outtype', () => {
    const cast = new Cast('float16', 'float32', { name: 'c' });
    const f32 = gpuarray.zeros([2, 2]);
    const f16 = gpuarray.zeros([2, 2], 'float16');
    expect(() => cast.call(f32)).toThrow(ModuleError);
    expect(() => cast.call(f32)).toThrow(/Cast 'c'.*float16.*float32/);
    cast.call(f16);
    expect(() => cast.backward(f16)).toThrow(/gradient dtype float32, got float16/);
    cast.dispose();
    f32.dispose();
    f16.dispose();
  });
});
