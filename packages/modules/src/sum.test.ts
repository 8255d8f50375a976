import { gpuarray, HostArray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { Sum } from './sum.js';
import { around } from './test-support/nd64.js';

/** Float64 Σ over `axis` of data·v (v over the leading dims up to axis, or 1), and its two gradients. */
function sum64(x: Float64Array, shape: number[], axis: number, g: Float64Array, v?: Float64Array) {
  const [pre, len, post] = around(shape, axis);
  const weight = (p: number, l: number) => (v ? v[p * len + l]! : 1);
  const y = new Float64Array(pre * post);
  const dx = new Float64Array(x.length);
  const dv = new Float64Array(pre * len);
  for (let p = 0; p < pre; p++) {
    for (let l = 0; l < len; l++) {
      for (let q = 0; q < post; q++) {
        const i = (p * len + l) * post + q;
        y[p * post + q]! += x[i]! * weight(p, l);
        dx[i] = g[p * post + q]! * weight(p, l);
        dv[p * len + l]! += x[i]! * g[p * post + q]!;
      }
    }
  }
  return { y, dx, dv };
}

describeEngines('Sum', () => {
  const cases = [
    { shape: [5, 3, 4], axis: 1, useWeights: false },
    { shape: [5, 3, 4], axis: 1, useWeights: true },
    { shape: [5, 3, 2, 6], axis: 2, useWeights: false },
    { shape: [2, 3, 2, 3], axis: 2, useWeights: true },
    { shape: [4, 3], axis: 1, useWeights: true },
  ];
  for (const { shape, axis, useWeights } of cases) {
    it(`sums (${shape.join(', ')}) over axis ${axis} ${useWeights ? 'with' : 'without'} weights: forward, grads, shapes`, () => {
      const sum = new Sum(axis, { useWeights });
      const x = randomData(shape, 1);
      const v = randomData(shape.slice(0, axis + 1), 2);
      const [xd, vd] = [gpuarray.toGpu(x.host), gpuarray.toGpu(v.host)];
      const out = sum.call(useWeights ? [xd, vd] : xd) as GPUArray;
      const outShape = shape.filter((_, i) => i !== axis);
      expect(out.shape).toEqual(outShape);
      expect(sum.dataShapeFrom(useWeights ? [shape, v.host.shape] : shape)).toEqual(outShape);
      const g = randomData(outShape, 3);
      const gd = gpuarray.toGpu(g.host);
      const ref = sum64(x.f64, shape, axis, g.f64, useWeights ? v.f64 : undefined);
      expectClose(out.get().data, ref.y, TOLERANCES.float32, 'sum');
      sum.backward(gd);
      const [dx, dv] = useWeights ? (sum.grad as GPUArray[]) : [sum.grad as GPUArray];
      expectClose(dx!.get().data, ref.dx, TOLERANCES.float32, 'data grad');
      if (useWeights) expectClose(dv!.get().data, ref.dv, TOLERANCES.float32, 'weights grad');
      expect(sum.gradShapeFrom(outShape)).toEqual(useWeights ? [shape, shape.slice(0, axis + 1)] : shape);
      checkModuleGradients(sum, useWeights ? [x.host, v.host] : [x.host]);
      sum.dispose();
      for (const a of [xd, vd, gd]) a.dispose();
    });
  }

  it('rejects mismatched weights and too few dims with ModuleErrors naming the module; keeps buffers flat', () => {
    const sum = new Sum(1, { name: 's' });
    const x = gpuarray.toGpu(HostArray.randn([2, 3, 4], { seed: 4 }));
    const v = gpuarray.toGpu(HostArray.randn([2, 4], { seed: 5 }));
    expect(() => sum.call([x, v])).toThrow(ModuleError);
    expect(() => sum.call([x, v])).toThrow(/Sum 's'.*\(2, 4\).*\(2, 3\).*\(2, 3, 4\)/);
    expect(() => sum.call(x)).toThrow(/\[data, weights\]/);
    const plain = new Sum(3, { useWeights: false });
    expect(() => plain.call(x)).toThrow(/4 dims.*\(2, 3, 4\)/);
    const ok = new Sum(2, { useWeights: false });
    ok.call(x);
    ok.backward(ok.data as GPUArray);
    expectNoLeak(() => {
      ok.call(x);
      ok.backward(ok.data as GPUArray);
    });
    for (const m of [sum, plain, ok]) m.dispose();
    x.dispose();
    v.dispose();
  });
});
