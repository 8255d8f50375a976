import { gpuarray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Pad2D } from './pad2d.js';
import { pad64, type Mode } from './test-support/pad64.js';

const cases = [
  { what: 'Pad2D constant', make: () => new Pad2D([0, 1, 2, 1]), shape: [3, 4, 5, 6], hw: [5, 6] as const, pads: [0, 1, 2, 1], mode: 'constant' as Mode, fill: 0 },
  { what: 'Pad2D reflect', make: () => new Pad2D([2, 3, 1, 2], { mode: 'reflect' }), shape: [2, 2, 5, 4], hw: [5, 4] as const, pads: [2, 3, 1, 2], mode: 'reflect' as Mode, fill: 0 },
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
