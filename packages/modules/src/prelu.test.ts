import { gpuarray, HostArray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { PRelu } from './prelu.js';

describeEngines('PRelu', () => {
  for (const sharedMaps of [false, true]) {
    it(`forward against float64 and finite-difference grads for input and slopes (sharedMaps=${sharedMaps})`, () => {
      const prelu = new PRelu(4, { sharedMaps });
      expect(Array.from(prelu.slopes.get().data)).toEqual(new Array(sharedMaps ? 1 : 4).fill(0.25));
      const slopes = randomData([sharedMaps ? 1 : 4], 1, 0.3, 0.2);
      prelu.slopes.set(slopes.host);
      const shape = [3, 4, 2, 3];
      const x = randomData(shape, 2);
      const xd = gpuarray.toGpu(x.host);
      const ref = x.f64.map((v, i) => (v > 0 ? v : v * slopes.f64[sharedMaps ? 0 : Math.floor(i / 6) % 4]!));
      expectClose((prelu.call(xd) as GPUArray).get().data, ref, TOLERANCES.float32);
      checkModuleGradients(prelu, [x.host]);
      prelu.dispose();
      xd.dispose();
    });
  }

  it('rejects wrong maps and gradients in place, naming the module; keeps live buffers flat', () => {
    const xd = gpuarray.toGpu(HostArray.randn([2, 3, 2], { seed: 3 }));
    expect(() => new PRelu(4, { name: 'pr' }).call(xd)).toThrow(ModuleError);
    expect(() => new PRelu(4, { name: 'pr' }).call(xd)).toThrow(/PRelu 'pr'.*4 maps.*\(2, 3, 2\)/);
    const inplace = new PRelu(3, { inplace: true });
    const copy = xd.copy();
    expect(inplace.call(copy) as GPUArray).not.toBe(copy);
    expect((inplace.data as GPUArray).sharesStorageWith(copy)).toBe(true);
    expect(() => inplace.backward(copy)).toThrow(/inplace/);
    const prelu = new PRelu(3);
    prelu.call(xd);
    prelu.backward(xd);
    expectNoLeak(() => {
      prelu.call(xd);
      prelu.backward(xd);
    });
    for (const m of [inplace, prelu]) m.dispose();
    xd.dispose();
    copy.dispose();
  });
});
