import {
  describeEngines,
  expectClose,
  expectNoLeak,
  pool64,
  poolBackward64,
  poolShape64,
  randomData,
  TOLERANCES,
  type PoolRefGeometry,
  type PoolRefMode,
} from '@puzzle/testing';
import { HostArray } from '../host-array.js';
import { expect, it } from 'vitest';
import { toGpu, zeros } from '../gpuarray/gpuarray.js';
import { poolNd, poolNdBackward } from './conv-pool.js';

interface Case {
  name: string;
  x: number[];
  size: [number, number];
  stride: [number, number];
  pad: [number, number];
}

const CASES: Case[] = [
  { name: 'defaults 2×2', x: [2, 3, 6, 6], size: [2, 2], stride: [2, 2], pad: [0, 0] },
  { name: 'overlapping with pad', x: [3, 2, 6, 6], size: [3, 3], stride: [2, 2], pad: [1, 1] },
  { name: 'odd sizes', x: [2, 3, 7, 5], size: [3, 3], stride: [2, 2], pad: [1, 1] },
  { name: 'per-axis window', x: [1, 2, 5, 8], size: [2, 3], stride: [1, 2], pad: [1, 1] },
  { name: 'one row', x: [2, 3, 1, 9], size: [1, 3], stride: [1, 2], pad: [0, 1] },
];

const MODES: PoolRefMode[] = ['max', 'avgWithPad', 'avgNoPad'];

describeEngines('Dnn pool', () => {
  for (const c of CASES) {
    for (const mode of MODES) {
      const g: PoolRefGeometry = { size: c.size, stride: c.stride, pad: c.pad, mode };

      it(`poolNd and poolNdBackward match float64 loops (${mode}, ${c.name})`, () => {
        const x = randomData(c.x, 1);
        const yShape = poolShape64(c.x, g);
        const dy = randomData(yShape, 2);
        const [xd, dyd] = [toGpu(x.host), toGpu(dy.host)];
        const y = poolNd(xd, g);
        expect(y.shape).toEqual(yShape);
        expectClose(y.get().toFloat32(), pool64(x.f64, c.x, g).y, TOLERANCES.float32, 'pooled');
        const dx = poolNdBackward(xd, y, dyd, g);
        expectClose(dx.get().toFloat32(), poolBackward64(x.f64, c.x, dy.f64, g), TOLERANCES.float32, 'input grad');
        [xd, dyd, y, dx].forEach((a) => a.dispose());
      });
    }
  }

  it('max pooling sends the gradient of tied windows to the first maximum', () => {
    const shape = [2, 2, 6, 6];
    // Few distinct values make ties in most windows.
    const values = Float32Array.from({ length: 144 }, (_, i) => (i * 7) % 3);
    const g: PoolRefGeometry = { size: [3, 3], stride: [2, 2], pad: [1, 1], mode: 'max' };
    const dy = randomData(poolShape64(shape, g), 3);
    const [xd, dyd] = [toGpu(new HostArray(values, shape, 'float32')), toGpu(dy.host)];
    const y = poolNd(xd, g);
    const dx = poolNdBackward(xd, y, dyd, g);
    expectClose(dx.get().toFloat32(), poolBackward64(values, shape, dy.f64, g), TOLERANCES.float32, 'input grad');
    [xd, dyd, y, dx].forEach((a) => a.dispose());
  });

  it('defaults to 2×2 max pooling with stride 2', () => {
    const x = randomData([1, 2, 4, 6], 4);
    const xd = toGpu(x.host);
    const y = poolNd(xd);
    expectClose(y.get().toFloat32(), pool64(x.f64, [1, 2, 4, 6], { size: [2, 2], stride: [2, 2], pad: [0, 0], mode: 'max' }).y, TOLERANCES.float32);
    [xd, y].forEach((a) => a.dispose());
  });

  it('rejects bad input with BackendErrors naming the op and shapes, allocating nothing', () => {
    const x = zeros([2, 3, 5, 5]);
    const bad = { rank: zeros([2, 3, 5]), ints: zeros([2, 3, 5, 5], 'int32'), grad: zeros([2, 3, 3, 3]) };
    const y = poolNd(x);
    expectNoLeak(() => {
      expect(() => poolNd(bad.rank)).toThrow(/Dnn\.poolNd.*4-D.*\(2, 3, 5\)/);
      expect(() => poolNd(bad.ints)).toThrow(/int32/);
      expect(() => poolNd(x, { size: 2, pad: 2 })).toThrow(/pad \[2, 2\] must be smaller than size \[2, 2\]/);
      expect(() => poolNd(x, { size: 6 })).toThrow(/empty output/);
      expect(() => poolNd(x, { mode: 'median' as never })).toThrow(/unknown pool mode/);
      expect(() => poolNdBackward(x, y, bad.grad)).toThrow(/grad has shape \(2, 3, 3, 3\), expected \(2, 3, 2, 2\)/);
    });
    [x, y, ...Object.values(bad)].forEach((a) => a.dispose());
  });
});
