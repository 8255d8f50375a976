import {
  deconv64,
  deconvBackwardData64,
  deconvBackwardParams64,
  deconvShape64,
  describeEngines,
  expectClose,
  expectNoLeak,
  randomData,
  TOLERANCES,
  type DeconvRefGeometry,
} from '@puzzle/testing';
import { expect, it } from 'vitest';
import { toGpu, zeros } from '../gpuarray/gpuarray.js';
import { deconvNd, deconvNdBackwardData, deconvNdBackwardParams } from './conv-pool.js';

interface Case {
  name: string;
  x: number[];
  w: number[];
  g: DeconvRefGeometry;
}

const geom = (stride: [number, number], pad: [number, number], dilation: [number, number], postpad: [number, number], groups = 1): DeconvRefGeometry => ({
  stride,
  pad,
  dilation,
  postpad,
  groups,
});

const CASES: Case[] = [
  { name: 'stride 2', x: [1, 1, 2, 2], w: [1, 1, 3, 3], g: geom([2, 2], [0, 0], [1, 1], [0, 0]) },
  { name: 'pad and postpad', x: [2, 3, 3, 4], w: [3, 2, 3, 3], g: geom([2, 2], [1, 1], [1, 1], [1, 1]) },
  { name: 'postpad beyond pad', x: [2, 2, 3, 2], w: [2, 3, 2, 3], g: geom([2, 3], [0, 1], [1, 1], [1, 2]) },
  { name: 'dilation with postpad beyond stride', x: [1, 2, 3, 3], w: [2, 3, 2, 2], g: geom([1, 1], [0, 0], [2, 2], [1, 1]) },
  { name: 'pads, stride and dilation', x: [3, 4, 2, 2], w: [4, 4, 3, 3], g: geom([2, 2], [1, 1], [2, 2], [0, 0]) },
  { name: 'groups', x: [3, 4, 3, 4], w: [4, 2, 2, 2], g: geom([2, 1], [0, 1], [1, 2], [1, 0], 2) },
];

const opts = (g: DeconvRefGeometry) => ({ stride: g.stride, pad: g.pad, dilation: g.dilation, postpad: g.postpad, groups: g.groups });

describeEngines('Dnn deconv', () => {
  for (const c of CASES) {
    const cout = c.w[1]! * c.g.groups;

    it(`deconvNd with a bias of Cout maps matches the float64 scatter (${c.name})`, () => {
      const [x, w, b] = [randomData(c.x, 1), randomData(c.w, 2), randomData([1, cout, 1, 1], 3)];
      const [xd, wd, bd] = [x, w, b].map((d) => toGpu(d.host));
      const out = deconvNd(xd!, wd!, bd!, opts(c.g));
      const ref = deconv64(x.f64, c.x, w.f64, c.w, b.f64, c.g);
      expect(out.shape).toEqual(ref.shape);
      expectClose(out.get().toFloat32(), ref.y, TOLERANCES.float32, 'deconv output');
      [xd, wd, bd, out].forEach((a) => a!.dispose());
    });

    it(`deconvNdBackwardData matches float64 loops (${c.name})`, () => {
      const [w, dy] = [randomData(c.w, 4), randomData(deconvShape64(c.x, c.w, c.g), 5)];
      const [wd, dyd, xd] = [toGpu(w.host), toGpu(dy.host), zeros(c.x)];
      const dx = deconvNdBackwardData(dyd, wd, xd, opts(c.g));
      expectClose(dx.get().toFloat32(), deconvBackwardData64(dy.f64, w.f64, c.w, c.x, c.g), TOLERANCES.float32, 'input grad');
      [wd, dyd, xd, dx].forEach((a) => a.dispose());
    });

    it(`deconvNdBackwardParams accumulates scale·dW + momentum·old (${c.name})`, () => {
      const yShape = deconvShape64(c.x, c.w, c.g);
      const [x, dy, oldW, oldB] = [randomData(c.x, 6), randomData(yShape, 7), randomData(c.w, 8), randomData([cout], 9)];
      const [xd, dyd, wd, bd] = [toGpu(x.host), toGpu(dy.host), zeros(c.w), zeros([cout])];
      const [wgrad, bgrad] = [toGpu(oldW.host), toGpu(oldB.host)];
      deconvNdBackwardParams(xd, dyd, wd, bd, { ...opts(c.g), wgrad, bgrad, scale: 0.5, momentum: 2 });
      const ref = deconvBackwardParams64(x.f64, c.x, dy.f64, c.w, c.g);
      expectClose(wgrad.get().toFloat32(), ref.dw.map((v, i) => 0.5 * v + 2 * oldW.f64[i]!), TOLERANCES.float32Accumulated, 'W grad');
      expectClose(bgrad.get().toFloat32(), ref.db.map((v, i) => 0.5 * v + 2 * oldB.f64[i]!), TOLERANCES.float32Accumulated, 'bias grad');
      [xd, dyd, wd, bd, wgrad, bgrad].forEach((a) => a.dispose());
    });
  }

  it('rejects bad input with BackendErrors naming the op and shapes, allocating nothing', () => {
    const x = zeros([2, 3, 4, 4]);
    const w = zeros([3, 2, 3, 3]);
    const bad = { maps: zeros([2, 2, 3, 3]), bias: zeros([3]), grad: zeros([2, 2, 5, 6]) };
    expectNoLeak(() => {
      expect(() => deconvNd(x, bad.maps)).toThrow(/Dnn\.deconvNd.*\(2, 3, 4, 4\).*\(2, 2, 3, 3\)/);
      expect(() => deconvNd(x, w, null, { stride: 2, postpad: 2 })).toThrow(/postpad 2.*max\(stride, dilation\) = 2/);
      expect(() => deconvNd(x, w, bad.bias)).toThrow(/bias \(3,\).*2 values/);
      expect(() => deconvNd(x, w, null, { groups: 2 })).toThrow(/divisible by groups/);
      expect(() => deconvNd(x, w, null, { pad: 4 })).toThrow(/empty output/);
      expect(() => deconvNdBackwardData(bad.grad, w, x)).toThrow(/grad has shape \(2, 2, 5, 6\), expected \(2, 2, 6, 6\)/);
    });
    [x, w, ...Object.values(bad)].forEach((a) => a.dispose());
  });
});
