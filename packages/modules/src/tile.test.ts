import { gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { concat64, take64 } from './test-support/nd64.js';
import { Tile } from './tile.js';

describeEngines('Tile', () => {
  for (const [axis, times] of [
    [0, 3],
    [1, 4],
  ] as const) {
    it(`repeats (3, 4, 5) ${times} times on axis ${axis}; the gradient sums the pieces`, () => {
      const shape = [3, 4, 5];
      const x = randomData(shape, 1);
      const tile = new Tile(axis, times);
      const xd = gpuarray.toGpu(x.host);
      const out = tile.call(xd) as GPUArray;
      const outShape = shape.map((d, i) => (i === axis ? d * times : d));
      expect(out.shape).toEqual(outShape);
      expect(tile.dataShapeFrom(shape)).toEqual(outShape);
      expectClose(out.get().data, concat64(new Array(times).fill({ data: x.f64, shape }), axis), TOLERANCES.float32);

      const g = randomData(outShape, 2);
      const gd = gpuarray.toGpu(g.host);
      tile.backward(gd);
      const expected = new Float64Array(x.f64.length);
      for (let k = 0; k < times; k++) {
        take64({ data: g.f64, shape: outShape }, axis, k * shape[axis]!, shape[axis]!).forEach((v, i) => (expected[i] = expected[i]! + v));
      }
      expectClose((tile.grad as GPUArray).get().data, expected, TOLERANCES.float32);
      expect(tile.gradShapeFrom(outShape)).toEqual(shape);
      tile.dispose();
      xd.dispose();
      gd.dispose();
    });
  }

  it('backward matches finite differences', () => {
    checkModuleGradients(new Tile(1, 2), [HostArray.randn([2, 3], { seed: 3 })]);
  });

  it('rejects an axis beyond the input and a wrong gradient', () => {
    const xd = gpuarray.zeros([2, 3]);
    expect(() => new Tile(2, 2, { name: 't' }).call(xd)).toThrow(ModuleError);
    expect(() => new Tile(2, 2, { name: 't' }).call(xd)).toThrow(/Tile 't'.*axis 2/);
    const tile = new Tile(0, 2);
    tile.call(xd);
    expect(() => tile.backward(xd)).toThrow(/\(2, 3\).*\(4, 3\)/);
    tile.dispose();
    xd.dispose();
  });
});
