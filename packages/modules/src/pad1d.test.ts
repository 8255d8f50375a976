import { gpuarray, HostArray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { Pad1D } from './pad1d.js';
import { Pad2D } from './pad2d.js';
import { pad64, type Mode } from './test-support/pad64.js';

const cases = [
  { what: 'Pad1D constant', make: () => new Pad1D([0, 1], { fillValue: -0.1 }), shape: [3, 4, 5], hw: [1, 5] as const, pads: [0, 0, 0, 1], mode: 'constant' as Mode, fill: -0.1 },
  { what: 'Pad1D reflect', make: () => new Pad1D([2, 3], { mode: 'reflect' }), shape: [2, 3, 6], hw: [1, 6] as const, pads: [0, 0, 2, 3], mode: 'reflect' as Mode, fill: 0 },
];

for (const { what, make, shape, hw, pads, mode, fill } of cases) {
  describeEngines(what, () => {
    it('forward equals numpy pad, shapes agree, and backward matches finite differences', () => {
      const pad = make();
      const x = randomData(shape, 1);
      const xd = gpuarray.toGpu(x.host);
      const out = pad.call(xd) as GPUArray;
      expect(pad.dataShapeFrom(shape)).toEqual(out.shape);
      expect(pad.gradShapeFrom(out.shape)).toEqual(shape);
      expectClose(out.get().data, pad64(x.f64, shape[0]! * shape[1]!, hw, pads, mode, fill), TOLERANCES.float32);
      checkModuleGradients(pad, [x.host]);
      pad.dispose();
      xd.dispose();
    });
  });
}

describeEngines('Pad1D and Pad2D errors', () => {
  it('reject wrong ranks, too-short axes for reflect, and bad pads, naming the module and shape', () => {
    const xd = gpuarray.toGpu(HostArray.randn([2, 3, 3], { seed: 2 }));
    expect(() => new Pad2D(1, { name: 'p' }).call(xd)).toThrow(ModuleError);
    expect(() => new Pad2D(1, { name: 'p' }).call(xd)).toThrow(/Pad2D 'p'.*4-D.*\(2, 3, 3\)/);
    expect(() => new Pad1D(3, { mode: 'reflect' }).call(xd)).toThrow(/reflect.*\(3, 3\).*\(2, 3, 3\)/);
    expect(() => new Pad1D(-1)).toThrow(/non-negative/);
    const pad = new Pad1D(1);
    pad.call(xd);
    pad.backward(pad.data as GPUArray);
    expectNoLeak(() => {
      pad.call(xd);
      pad.backward(pad.data as GPUArray);
    });
    pad.dispose();
    xd.dispose();
  });
});
