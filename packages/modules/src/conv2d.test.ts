import { gpuarray, HostArray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, conv64, describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES, toF64, type ConvRefGeometry } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Activation } from './activation.js';
import { Conv2D, type Conv2DOptions } from './conv2d.js';
import { ModuleError } from './errors.js';
import { MaxPool2D } from './max-pool2d.js';

interface Case {
  name: string;
  x: number[];
  outmaps: number;
  size: [number, number];
  opts: Conv2DOptions & { stride: [number, number]; pad: [number, number]; dilation: [number, number]; groups: number };
}

const CASES: Case[] = [
  { name: 'one map', x: [1, 1, 5, 5], outmaps: 1, size: [2, 2], opts: { stride: [1, 1], pad: [0, 0], dilation: [1, 1], groups: 1 } },
  { name: 'pads, stride, dilation', x: [3, 4, 3, 3], outmaps: 4, size: [3, 3], opts: { stride: [2, 2], pad: [2, 2], dilation: [2, 2], groups: 1 } },
  { name: 'groups', x: [3, 4, 4, 5], outmaps: 4, size: [3, 3], opts: { stride: [1, 1], pad: [1, 1], dilation: [1, 1], groups: 2 } },
  { name: 'per-axis geometry', x: [2, 3, 6, 5], outmaps: 2, size: [3, 2], opts: { stride: [2, 1], pad: [1, 0], dilation: [1, 2], groups: 1 } },
];

const refGeometry = (c: Case): ConvRefGeometry => ({ stride: c.opts.stride, pad: c.opts.pad, dilation: c.opts.dilation, groups: c.opts.groups });

/** A module with a random (non-zero) bias, so the bias path is exercised. */
function layer(c: Case, seed: number): Conv2D {
  const conv = new Conv2D(c.x[1]!, c.outmaps, c.size, c.opts);
  conv.b!.set(randomData([1, c.outmaps, 1, 1], seed).host);
  return conv;
}

describeEngines('Conv2D', () => {
  for (const c of CASES) {
    it(`forward matches float64 loops (${c.name})`, () => {
      const conv = layer(c, 1);
      const x = randomData(c.x, 2);
      const xd = gpuarray.toGpu(x.host);
      const out = conv.call(xd) as GPUArray;
      const ref = conv64(x.f64, c.x, toF64(conv.W.get()), conv.W.shape, toF64(conv.b!.get()), refGeometry(c));
      expect(out.shape).toEqual(ref.shape);
      expect(conv.dataShapeFrom(c.x)).toEqual(ref.shape);
      expectClose(out.get().toFloat32(), ref.y, TOLERANCES.float32, 'conv output');
      conv.dispose();
      xd.dispose();
    });

    it(`backward (input, W, b) matches finite differences (${c.name})`, () => {
      const conv = layer(c, 3);
      checkModuleGradients(conv, [HostArray.randn(c.x, { seed: 4 })]);
      conv.dispose();
    });
  }

  it('has W (outmaps, inmaps/groups, kh, kw), a zero bias (1, outmaps, 1, 1) and scheme-initialised weights', () => {
    const conv = new Conv2D(4, 6, [3, 2], { groups: 2 });
    expect(conv.W.shape).toEqual([6, 2, 3, 2]);
    expect(conv.b!.shape).toEqual([1, 6, 1, 1]);
    expect([...conv.b!.get().toFloat32()].every((v) => v === 0)).toBe(true);
    // xavier_uniform on fan-in 2·3·2: U(±√(3/12)) and not all zero.
    const w = conv.W.get().toFloat32();
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(0.5);
    expect(w.some((v) => v !== 0)).toBe(true);
    expect(new Conv2D(2, 2, 3, { useBias: false }).b).toBeNull();
    conv.dispose();
  });

  it('gradShapeFrom inverts dataShapeFrom', () => {
    const conv = new Conv2D(3, 5, 3, { stride: 2, pad: 1, dilation: 2 });
    expect(conv.gradShapeFrom(conv.dataShapeFrom([2, 3, 9, 11]))).toEqual([2, 3, 9, 11]);
    conv.dispose();
  });

  it('rejects bad configuration with a ModuleError', () => {
    expect(() => new Conv2D(3, 4, 3, { groups: 2, name: 'c' })).toThrow(/Conv2D 'c'.*divisible by groups 2/);
    expect(() => new Conv2D(2, 4, 0)).toThrow(ModuleError);
    expect(() => new Conv2D(2, 4, 3, { stride: 0 })).toThrow(/stride/);
  });

  it('rejects bad input naming the module and both shapes, leaving its state unchanged', () => {
    const conv = new Conv2D(3, 4, 3, { name: 'c1' });
    const good = gpuarray.toGpu(HostArray.randn([2, 3, 6, 6], { seed: 5 }));
    const out = conv.call(good);
    const bad = { maps: gpuarray.zeros([2, 5, 6, 6]), rank: gpuarray.zeros([2, 3, 36]), small: gpuarray.zeros([2, 3, 2, 6]) };
    const half = gpuarray.zeros([2, 3, 6, 6], 'float16');
    const wrongGrad = gpuarray.zeros([2, 4, 3, 3]);
    expect(() => conv.call(bad.maps)).toThrow(ModuleError);
    expect(() => conv.call(bad.maps)).toThrow(/Conv2D 'c1'.*3 input maps.*\(4, 3, 3, 3\).*\(2, 5, 6, 6\)/);
    expect(() => conv.call(bad.rank)).toThrow(/Conv2D 'c1'.*4-D.*\(2, 3, 36\)/);
    expect(() => conv.call(bad.small)).toThrow(/Conv2D 'c1'.*\(4, 3, 3, 3\).*\(2, 3, 2, 6\)/);
    expect(() => conv.call(half)).toThrow(/Conv2D 'c1'.*float16/);
    expect(() => conv.backward(wrongGrad)).toThrow(/Conv2D 'c1'.*\(2, 4, 4, 4\).*\(2, 4, 3, 3\)/);
    expect(conv.data).toBe(out);
    expect(conv.inData).toBe(good);
    [good, half, wrongGrad, ...Object.values(bad)].forEach((a) => a.dispose());
    conv.dispose();
  });

  it('Conv2D–MaxPool2D–ReLU forward and backward in a loop keep the live-buffer count flat', () => {
    const layers = [new Conv2D(2, 4, 3, { pad: 1 }), new MaxPool2D(), new Activation('relu')];
    const x = gpuarray.toGpu(HostArray.randn([2, 2, 6, 6], { seed: 6 }));
    const g = gpuarray.toGpu(HostArray.randn([2, 4, 3, 3], { seed: 7 }));
    const step = () => {
      const y = layers.reduce<GPUArray>((h, m) => m.call(h) as GPUArray, x);
      expect(y.shape).toEqual([2, 4, 3, 3]);
      layers.reduceRight<GPUArray>((grad, m) => (m.backward(grad), m.grad as GPUArray), g);
      layers[0]!.updateParams(0.01);
    };
    step();
    expectNoLeak(() => {
      for (let i = 0; i < 4; i++) step();
    });
    layers.forEach((m) => m.dispose());
    [x, g].forEach((a) => a.dispose());
  });
});
