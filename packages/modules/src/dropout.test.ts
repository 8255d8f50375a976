import { gpuarray, GPUArray } from '@puzzle/backend';
import { describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Dropout } from './dropout.js';
import { ModuleError } from './errors.js';

// Dropout's backward is linear in g with the forward's mask, so it is checked exactly against that mask
// (finite differences would need the same mask on every forward, which a fresh draw per call rules out).
describeEngines('Dropout', () => {
  it('keeps x/(1−p) where the draw is below 1−p, with the same mask in backward', () => {
    const p = 0.3;
    const x = randomData([8, 5, 3], 1);
    const g = randomData([8, 5, 3], 2);
    const drop = new Dropout(p, { seed: 42 });
    const xd = gpuarray.toGpu(x.host);
    const gd = gpuarray.toGpu(g.host);
    const out = drop.call(xd) as GPUArray;
    const u = drop.rands!.get().data;
    expect(u.length).toBe(x.f64.length);
    const mask = Array.from(u, (v) => (v < 1 - p ? 1 / (1 - p) : 0));
    expectClose(out.get().data, x.f64.map((v, i) => v * mask[i]!), TOLERANCES.float32);
    drop.backward(gd);
    expectClose((drop.grad as GPUArray).get().data, g.f64.map((v, i) => v * mask[i]!), TOLERANCES.float32);

    const kept = mask.filter((m) => m > 0).length / mask.length;
    expect(kept).toBeGreaterThan(0.55);
    expect(kept).toBeLessThan(0.85);
    drop.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('is reproducible for a seed and differs between calls', () => {
    const xd = gpuarray.toGpu(randomData([200], 3).host);
    const masks = (seed: number) => {
      const drop = new Dropout(0.5, { seed });
      const first = (drop.call(xd) as GPUArray).get().data.slice();
      const second = (drop.call(xd) as GPUArray).get().data.slice();
      drop.dispose();
      return [first, second];
    };
    const [a1, a2] = masks(7);
    const [b1] = masks(7);
    expect(Array.from(a1!)).toEqual(Array.from(b1!));
    expect(Array.from(a1!)).not.toEqual(Array.from(a2!));
    xd.dispose();
  });

  it('is the identity in eval mode', () => {
    const x = randomData([4, 6], 4);
    const g = randomData([4, 6], 5);
    const drop = new Dropout(0.5, { seed: 1 });
    drop.evalMode();
    const xd = gpuarray.toGpu(x.host);
    const gd = gpuarray.toGpu(g.host);
    expectClose((drop.call(xd) as GPUArray).get().data, x.f64, TOLERANCES.float32);
    expect(drop.rands).toBeNull();
    drop.backward(gd);
    expectClose((drop.grad as GPUArray).get().data, g.f64, TOLERANCES.float32);
    drop.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('in place, overwrites the input', () => {
    const x = randomData([30], 6);
    const drop = new Dropout(0.5, { seed: 3, inplace: true });
    const xd = gpuarray.toGpu(x.host);
    drop.call(xd);
    const u = drop.rands!.get().data;
    expectClose(xd.get().data, x.f64.map((v, i) => (u[i]! < 0.5 ? 2 * v : 0)), TOLERANCES.float32);
    drop.dispose();
    xd.dispose();
  });

  it('keeps live buffers flat, masks included', () => {
    const drop = new Dropout(0.5, { seed: 9 });
    const xd = gpuarray.toGpu(randomData([6, 4], 7).host);
    expectNoLeak(() => {
      for (let i = 0; i < 3; i++) {
        drop.call(xd);
        drop.backward(xd);
      }
      drop.reset();
    });
    xd.dispose();
  });

  it('rejects a drop probability outside [0, 1)', () => {
    expect(() => new Dropout(1)).toThrow(ModuleError);
    expect(() => new Dropout(-0.1)).toThrow(/\[0, 1\)/);
  });
});
