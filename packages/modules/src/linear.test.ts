import { gpuarray, HostArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, expectNoLeak, matmul64, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { Linear } from './linear.js';

describeEngines('Linear', () => {
  it('forward is x·W + b against float64', () => {
    const lin = new Linear(6, 4);
    const b = randomData([4], 2);
    lin.b!.set(b.host);
    const x = randomData([5, 6], 1);
    const out = lin.call(gpuarray.toGpu(x.host)) as ReturnType<typeof gpuarray.empty>;
    const W = Float64Array.from(lin.W.get().toFloat32());
    const ref = matmul64(x.f64, W, 5, 6, 4).map((v, i) => v + b.f64[i % 4]!);
    expectClose(out.get().data, ref, TOLERANCES.float32);
    lin.dispose();
  });

  it('transposed layout keeps a bias of outsize', () => {
    const lin = new Linear(6, 4, { transpose: true });
    expect(lin.W.shape).toEqual([4, 6]);
    expect(lin.b!.shape).toEqual([4]);
    lin.dispose();
  });

  for (const transpose of [false, true]) {
    it(`backward matches finite differences (transpose=${transpose})`, () => {
      const lin = new Linear(7, 3, { transpose });
      lin.b!.set(randomData([3], 4).host);
      checkModuleGradients(lin, [HostArray.randn([4, 7], { seed: 3 })]);
      lin.dispose();
    });
  }

  it('rejects a wrong width with both shapes and leaves the module untouched', () => {
    const lin = new Linear(6, 4, { name: 'fc' });
    const good = gpuarray.toGpu(HostArray.randn([2, 6], { seed: 5 }));
    const out = lin.call(good);
    const bad = gpuarray.zeros([2, 5]);
    expect(() => lin.call(bad)).toThrow(ModuleError);
    expect(() => lin.call(bad)).toThrow(/Linear 'fc'.*6.*\(2, 5\)/);
    expect(lin.data).toBe(out);
    expect(lin.inData).toBe(good);
    expect(() => lin.backward(gpuarray.zeros([3, 4]))).toThrow(/\(2, 4\).*\(3, 4\)/);
    for (const a of [good, bad]) a.dispose();
    lin.dispose();
  });

  it('forward and backward in a loop keep the live-buffer count flat', () => {
    const lin = new Linear(8, 8);
    const x = gpuarray.toGpu(HostArray.randn([4, 8], { seed: 9 }));
    const g = gpuarray.toGpu(HostArray.randn([4, 8], { seed: 10 }));
    lin.call(x);
    lin.backward(g);
    expectNoLeak(() => {
      for (let i = 0; i < 5; i++) {
        lin.call(x);
        lin.backward(g);
      }
    });
    lin.dispose();
    x.dispose();
    g.dispose();
  });
});
