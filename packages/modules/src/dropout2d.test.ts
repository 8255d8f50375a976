import { gpuarray, GPUArray } from '@puzzle/backend';
import { describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Dropout2D } from './dropout2d.js';
import { ModuleError } from './errors.js';

describeEngines('Dropout2D', () => {
  it('drops whole (n, c) maps with one draw each, same mask in backward', () => {
    const p = 0.4;
    const [N, C, H, W] = [3, 4, 2, 3];
    const x = randomData([N, C, H, W], 1);
    const g = randomData([N, C, H, W], 2);
    const drop = new Dropout2D(p, { seed: 5 });
    const xd = gpuarray.toGpu(x.host);
    const gd = gpuarray.toGpu(g.host);
    const out = drop.call(xd) as GPUArray;
    const u = drop.rands!.get().data;
    expect(u.length).toBe(N * C);
    const scale = (i: number) => (u[Math.floor(i / (H * W))]! < 1 - p ? 1 / (1 - p) : 0);
    expectClose(out.get().data, x.f64.map((v, i) => v * scale(i)), TOLERANCES.float32);
    drop.backward(gd);
    expectClose((drop.grad as GPUArray).get().data, g.f64.map((v, i) => v * scale(i)), TOLERANCES.float32);
    drop.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('expects 4-D input', () => {
    const xd = gpuarray.zeros([2, 3, 4]);
    expect(() => new Dropout2D(0.5, { name: 'd2' }).call(xd)).toThrow(ModuleError);
    expect(() => new Dropout2D(0.5, { name: 'd2' }).call(xd)).toThrow(/Dropout2D 'd2'.*\(2, 3, 4\)/);
    xd.dispose();
  });
});
