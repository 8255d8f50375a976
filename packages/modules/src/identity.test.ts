import { gpuarray } from '@puzzle/backend';
import { describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Identity } from './identity.js';

describeEngines('Identity', () => {
  it('passes data and gradient through as handles of its own', () => {
    const x = randomData([3, 4], 1);
    const g = randomData([3, 4], 2);
    const xd = gpuarray.toGpu(x.host);
    const gd = gpuarray.toGpu(g.host);
    const mod = new Identity();
    const out = mod.call(xd);
    expect(out).not.toBe(xd);
    expectClose((out as typeof xd).get().data, x.f64, TOLERANCES.float32);
    mod.backward(gd);
    expect(mod.grad).not.toBe(gd);
    expectClose((mod.grad as typeof gd).get().data, g.f64, TOLERANCES.float32);
    expect(mod.dataShapeFrom([3, 4])).toEqual([3, 4]);
    expect(mod.gradShapeFrom([3, 4])).toEqual([3, 4]);
    mod.dispose();
    // The caller's arrays survive the module.
    expectClose(xd.get().data, x.f64, TOLERANCES.float32);
    xd.dispose();
    gd.dispose();
  });

  it('forwards lists and keeps buffers flat in a loop', () => {
    const a = gpuarray.toGpu(randomData([2, 3], 3).host);
    const b = gpuarray.toGpu(randomData([5], 4).host);
    const mod = new Identity();
    expectNoLeak(() => {
      for (let i = 0; i < 3; i++) {
        const out = mod.call([a, b]) as (typeof a)[];
        expect(out.map((o) => o.shape)).toEqual([[2, 3], [5]]);
        mod.backward([a, b]);
      }
      mod.reset();
    });
    a.dispose();
    b.dispose();
  });
});
