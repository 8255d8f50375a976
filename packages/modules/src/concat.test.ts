import { gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Concat } from './concat.js';
import { ModuleError } from './errors.js';
import { concat64, take64 } from './test-support/nd64.js';

describeEngines('Concat', () => {
  const cases: [number, number[][]][] = [
    [0, [[5, 3, 2], [7, 3, 2], [6, 3, 2]]],
    [1, [[3, 4, 2], [3, 6, 2], [3, 5, 2]]],
    [-1, [[2, 3, 1], [2, 3, 4]]],
  ];
  for (const [axis, shapes] of cases) {
    it(`joins along axis ${axis} and splits the gradient with the remembered sections`, () => {
      const xs = shapes.map((s, i) => randomData(s, 10 + i));
      const ax = axis < 0 ? axis + 3 : axis;
      const concat = new Concat(axis);
      const inputs = xs.map((x) => gpuarray.toGpu(x.host));
      const out = concat.call(inputs) as GPUArray;
      const outShape = concat.dataShapeFrom(shapes) as number[];
      expect(out.shape).toEqual(outShape);
      expectClose(out.get().data, concat64(xs.map((x, i) => ({ data: x.f64, shape: shapes[i]! })), ax), TOLERANCES.float32);

      const g = randomData(outShape, 20);
      const gd = gpuarray.toGpu(g.host);
      concat.backward(gd);
      const grads = concat.grad as GPUArray[];
      let start = 0;
      grads.forEach((gr, i) => {
        expect(gr.shape).toEqual(shapes[i]);
        expectClose(gr.get().data, take64({ data: g.f64, shape: outShape }, ax, start, shapes[i]![ax]!), TOLERANCES.float32);
        start += shapes[i]![ax]!;
      });
      expect(concat.gradShapeFrom(outShape)).toEqual(shapes);
      concat.dispose();
      [...inputs, gd].forEach((a) => a.dispose());
    });
  }

  it('backward matches finite differences', () => {
    checkModuleGradients(new Concat(1), [HostArray.randn([2, 3], { seed: 1 }), HostArray.randn([2, 2], { seed: 2 })], { asList: true });
  });

  it('rejects inputs that differ outside the axis, naming both shapes; leaves the module untouched', () => {
    const concat = new Concat(1, { name: 'cat' });
    const a = gpuarray.zeros([2, 3]);
    const b = gpuarray.zeros([4, 3]);
    const out = concat.call([a, a]);
    expect(() => concat.call([a, b])).toThrow(ModuleError);
    expect(() => concat.call([a, b])).toThrow(/Concat 'cat'.*\(4, 3\).*\(2, 3\)/);
    expect(() => concat.call(a)).toThrow(/list of arrays/);
    expect(() => new Concat(2).call([a, a])).toThrow(/axis 2 is out of range/);
    expect(concat.data).toBe(out);
    expect(() => concat.backward(gpuarray.zeros([2, 5]))).toThrow(/\(2, 5\).*\(2, 6\)/);
    concat.dispose();
    a.dispose();
    b.dispose();
  });

  it('keeps live buffers flat over forward/backward', () => {
    const concat = new Concat(0);
    const a = gpuarray.toGpu(randomData([2, 3], 1).host);
    const g = gpuarray.toGpu(randomData([4, 3], 2).host);
    concat.call([a, a]);
    concat.backward(g);
    expectNoLeak(() => {
      for (let i = 0; i < 3; i++) {
        concat.call([a, a]);
        concat.backward(g);
      }
    });
    concat.dispose();
    a.dispose();
    g.dispose();
  });
});
