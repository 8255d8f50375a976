import { gpuarray, HostArray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, deconv64, describeEngines, expectClose, randomData, TOLERANCES, toF64, type DeconvRefGeometry } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Deconv2D } from './deconv2d.js';
import { ModuleError } from './errors.js';

interface Case {
  name: string;
  x: number[];
  outmaps: number;
  size: number;
  g: DeconvRefGeometry;
}

const CASES: Case[] = [
  { name: 'postpad', x: [1, 2, 4, 4], outmaps: 1, size: 4, g: { stride: [2, 2], pad: [0, 0], dilation: [1, 1], postpad: [1, 1], groups: 1 } },
  { name: 'pads, stride, dilation', x: [3, 4, 2, 2], outmaps: 4, size: 3, g: { stride: [2, 2], pad: [1, 1], dilation: [2, 2], postpad: [0, 0], groups: 1 } },
  { name: 'groups', x: [2, 4, 3, 3], outmaps: 6, size: 2, g: { stride: [2, 1], pad: [1, 0], dilation: [1, 1], postpad: [1, 0], groups: 2 } },
];

function layer(c: Case, seed: number): Deconv2D {
  const { stride, pad, dilation, postpad, groups } = c.g;
  const deconv = new Deconv2D(c.x[1]!, c.outmaps, c.size, { stride, pad, dilation, postpad, groups, initscheme: 'gaussian' });
  deconv.b!.set(randomData([1, c.outmaps, 1, 1], seed).host);
  return deconv;
}

describeEngines('Deconv2D', () => {
  for (const c of CASES) {
    it(`forward matches the float64 scatter, bias of outmaps maps (${c.name})`, () => {
      const deconv = layer(c, 1);
      expect(deconv.W.shape).toEqual([c.x[1], c.outmaps / c.g.groups, c.size, c.size]);
      expect(deconv.b!.shape).toEqual([1, c.outmaps, 1, 1]);
      const x = randomData(c.x, 2);
      const xd = gpuarray.toGpu(x.host);
      const out = deconv.call(xd) as GPUArray;
      const ref = deconv64(x.f64, c.x, toF64(deconv.W.get()), deconv.W.shape, toF64(deconv.b!.get()), c.g);
      expect(out.shape).toEqual(ref.shape);
      expect(deconv.gradShapeFrom(deconv.dataShapeFrom(c.x))).toEqual(c.x);
      expectClose(out.get().toFloat32(), ref.y, TOLERANCES.float32, 'deconv output');
      deconv.dispose();
      xd.dispose();
    });

    it(`backward (input, W, b) matches finite differences (${c.name})`, () => {
      const deconv = layer(c, 3);
      checkModuleGradients(deconv, [HostArray.randn(c.x, { seed: 4 })]);
      deconv.dispose();
    });
  }

  it('rejects a postpad that is not below max(stride, dilation)', () => {
    expect(() => new Deconv2D(2, 2, 3, { stride: 2, postpad: 2, name: 'd' })).toThrow(ModuleError);
    expect(() => new Deconv2D(2, 2, 3, { stride: 2, postpad: 2, name: 'd' })).toThrow(/Deconv2D 'd'.*postpad/);
  });

  it('rejects input with the wrong map count naming both shapes', () => {
    const deconv = new Deconv2D(3, 2, 3, { name: 'd' });
    const x = gpuarray.zeros([1, 2, 4, 4]);
    expect(() => deconv.call(x)).toThrow(/Deconv2D 'd'.*3 input maps.*\(3, 2, 3, 3\).*\(1, 2, 4, 4\)/);
    x.dispose();
    deconv.dispose();
  });
});
