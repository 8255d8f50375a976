import {
  conv64,
  convBackwardData64,
  convBackwardParams64,
  convShape64,
  describeEngines,
  expectClose,
  expectNoLeak,
  randomData,
  TOLERANCES,
  type ConvRefGeometry,
} from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BackendError } from '../errors.js';
import { toGpu, zeros } from '../gpuarray/gpuarray.js';
import { HostArray } from '../host-array.js';
import { convNd, convNdBackwardData, convNdBackwardParams } from './conv-pool.js';

interface Case {
  name: string;
  x: number[];
  w: number[];
  g: ConvRefGeometry;
}

const geom = (stride: [number, number], pad: [number, number], dilation: [number, number], groups = 1): ConvRefGeometry => ({ stride, pad, dilation, groups });

const CASES: Case[] = [
  { name: 'plain', x: [2, 3, 7, 6], w: [4, 3, 3, 2], g: geom([1, 1], [0, 0], [1, 1]) },
  { name: 'stride and asymmetric pad', x: [2, 3, 7, 8], w: [4, 3, 3, 2], g: geom([2, 1], [1, 2], [1, 1]) },
  { name: 'stride leaving unread rows', x: [1, 2, 8, 9], w: [3, 2, 3, 3], g: geom([2, 3], [0, 0], [1, 1]) },
  { name: 'dilation without stride', x: [2, 2, 7, 7], w: [2, 2, 2, 3], g: geom([1, 1], [1, 1], [2, 2]) },
  { name: 'dilation with stride', x: [1, 2, 9, 8], w: [3, 2, 3, 2], g: geom([2, 2], [2, 1], [2, 3]) },
  { name: 'groups', x: [3, 4, 4, 5], w: [6, 2, 3, 3], g: geom([1, 1], [1, 1], [1, 1], 2) },
  { name: 'groups, stride and dilation', x: [2, 6, 8, 7], w: [6, 2, 2, 3], g: geom([2, 1], [1, 0], [1, 2], 3) },
];

const opts = (g: ConvRefGeometry) => ({ stride: g.stride, pad: g.pad, dilation: g.dilation, groups: g.groups });

describeEngines('Dnn conv', () => {
  for (const c of CASES) {
    it(`convNd with bias matches float64 loops (${c.name})`, () => {
      const x = randomData(c.x, 1);
      const w = randomData(c.w, 2);
      const b = randomData([1, c.w[0]!, 1, 1], 3);
      const [xd, wd, bd] = [x, w, b].map((d) => toGpu(d.host));
      const out = convNd(xd!, wd!, bd!, opts(c.g));
      const ref = conv64(x.f64, c.x, w.f64, c.w, b.f64, c.g);
      expect(out.shape).toEqual(ref.shape);
      expectClose(out.get().toFloat32(), ref.y, TOLERANCES.float32, 'conv output');
      [xd, wd, bd, out].forEach((a) => a!.dispose());
    });

    it(`convNdBackwardData matches float64 loops (${c.name})`, () => {
      const yShape = convShape64(c.x, c.w, c.g);
      const w = randomData(c.w, 4);
      const dy = randomData(yShape, 5);
      const [wd, dyd, xd] = [toGpu(w.host), toGpu(dy.host), zeros(c.x)];
      const dx = convNdBackwardData(dyd, wd, xd, opts(c.g));
      expectClose(dx.get().toFloat32(), convBackwardData64(dy.f64, w.f64, c.w, c.x, c.g), TOLERANCES.float32, 'input grad');
      [wd, dyd, xd, dx].forEach((a) => a.dispose());
    });

    it(`convNdBackwardParams accumulates scale·dW + momentum·old (${c.name})`, () => {
      const yShape = convShape64(c.x, c.w, c.g);
      const [x, dy, oldW, oldB] = [randomData(c.x, 6), randomData(yShape, 7), randomData(c.w, 8), randomData([1, c.w[0]!, 1, 1], 9)];
      const [xd, dyd, wd, bd] = [toGpu(x.host), toGpu(dy.host), zeros(c.w), zeros([1, c.w[0]!, 1, 1])];
      const [wgrad, bgrad] = [toGpu(oldW.host), toGpu(oldB.host)];
      const result = convNdBackwardParams(xd, dyd, wd, bd, { ...opts(c.g), wgrad, bgrad, scale: 0.5, momentum: 2 });
      expect(result[0]).toBe(wgrad);
      expect(result[1]).toBe(bgrad);
      const ref = convBackwardParams64(x.f64, c.x, dy.f64, c.w, c.g);
      expectClose(wgrad.get().toFloat32(), ref.dw.map((v, i) => 0.5 * v + 2 * oldW.f64[i]!), TOLERANCES.float32Accumulated, 'W grad');
      expectClose(bgrad.get().toFloat32(), ref.db.map((v, i) => 0.5 * v + 2 * oldB.f64[i]!), TOLERANCES.float32Accumulated, 'bias grad');
      [xd, dyd, wd, bd, wgrad, bgrad].forEach((a) => a.dispose());
    });
  }

  it('computes float16 arrays in float32 and rounds the result', () => {
    const c = CASES[5]!;
    const [x, w] = [randomData(c.x, 15), randomData(c.w, 16)].map((d) => HostArray.from(d.f64, { shape: d.host.shape, dtype: 'float16' }));
    const [xd, wd] = [toGpu(x!), toGpu(w!)];
    const out = convNd(xd, wd, null, opts(c.g));
    expect(out.dtype).toBe('float16');
    const ref = conv64(Float64Array.from(x!.toFloat32()), c.x, Float64Array.from(w!.toFloat32()), c.w, null, c.g);
    expectClose(out.get().toFloat32(), ref.y, TOLERANCES.float16, 'float16 conv output');
    [xd, wd, out].forEach((a) => a.dispose());
  });

  it('convNdBackwardParams allocates fresh gradients and skips the bias when there is none', () => {
    const c = CASES[1]!;
    const yShape = convShape64(c.x, c.w, c.g);
    const [x, dy] = [randomData(c.x, 10), randomData(yShape, 11)];
    const [xd, dyd, wd] = [toGpu(x.host), toGpu(dy.host), zeros(c.w)];
    const [wgrad, bgrad] = convNdBackwardParams(xd, dyd, wd, null, opts(c.g));
    expect(bgrad).toBeNull();
    expectClose(wgrad.get().toFloat32(), convBackwardParams64(x.f64, c.x, dy.f64, c.w, c.g).dw, TOLERANCES.float32Accumulated, 'W grad');
    [xd, dyd, wd, wgrad].forEach((a) => a.dispose());
  });

  it('rejects bad input with BackendErrors naming the op and shapes, allocating nothing', () => {
    const x = zeros([2, 3, 6, 6]);
    const w = zeros([4, 3, 3, 3]);
    const bad = {
      maps: zeros([4, 2, 3, 3]),
      ints: zeros([2, 3, 6, 6], 'int32'),
      rank: zeros([2, 3, 36]),
      wide: zeros([4, 3, 7, 3]),
      bias: zeros([5]),
      grad: zeros([2, 4, 3, 3]),
    };
    expectNoLeak(() => {
      expect(() => convNd(x, bad.maps)).toThrow(/Dnn\.convNd.*\(2, 3, 6, 6\).*\(4, 2, 3, 3\)/);
      expect(() => convNd(bad.rank, w)).toThrow(/4-D.*\(2, 3, 36\)/);
      expect(() => convNd(bad.ints, w)).toThrow(/int32/);
      expect(() => convNd(x, w, null, { groups: 2 })).toThrow(/divisible by groups/);
      expect(() => convNd(x, w, null, { stride: 0 })).toThrow(/stride/);
      expect(() => convNd(x, w, null, { pad: [1, 2, 3] })).toThrow(/pad/);
      expect(() => convNd(x, bad.wide, null, { dilation: 2 })).toThrow(/empty output/);
      expect(() => convNd(x, w, bad.bias)).toThrow(/bias \(5,\).*4 values/);
      expect(() => convNdBackwardData(bad.grad, w, x)).toThrow(/grad has shape \(2, 4, 3, 3\), expected \(2, 4, 4, 4\)/);
      expect(() => convNdBackwardParams(x, bad.grad, w, null)).toThrow(BackendError);
    });
    [x, w, ...Object.values(bad)].forEach((a) => a.dispose());
  });

  it('keeps the live-buffer count flat over forward and backward', () => {
    const c = CASES[6]!;
    const [x, w, b] = [toGpu(randomData(c.x, 12).host), toGpu(randomData(c.w, 13).host), zeros([c.w[0]!])];
    const dy = toGpu(randomData(convShape64(c.x, c.w, c.g), 14).host);
    const [wgrad, bgrad] = [zeros(c.w), zeros([c.w[0]!])];
    expectNoLeak(() => {
      for (let i = 0; i < 3; i++) {
        convNd(x, w, b, opts(c.g)).dispose();
        convNdBackwardData(dy, w, x, opts(c.g)).dispose();
        convNdBackwardParams(x, dy, w, b, { ...opts(c.g), wgrad, bgrad, momentum: 1 });
      }
    });
    [x, w, b, dy, wgrad, bgrad].forEach((a) => a.dispose());
  });
});
