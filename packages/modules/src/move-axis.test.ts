import { gpuarray, HostArray, type GPUArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ModuleError } from './errors.js';
import { MoveAxis } from './move-axis.js';
import { moveAxes, transpose64 } from './test-support/permute64.js';

describeEngines('MoveAxis', () => {
  it('equals numpy moveaxis for every (src, dst) pair of (3, 2, 4, 2), forward and backward', () => {
    const shape = [3, 2, 4, 2];
    const x = randomData(shape, 1);
    const xd = gpuarray.toGpu(x.host);
    for (let src = 0; src < 4; src++) {
      for (let dst = 0; dst < 4; dst++) {
        if (src === dst) continue;
        const move = new MoveAxis(src, dst);
        const out = move.call(xd) as GPUArray;
        expect(out.shape).toEqual(move.dataShapeFrom(shape));
        expectClose(out.get().data, transpose64(x.f64, shape, moveAxes(4, src, dst)), TOLERANCES.float32, `move ${src} → ${dst}`);
        const g = randomData([...out.shape], 2);
        const gd = gpuarray.toGpu(g.host);
        move.backward(gd);
        expectClose((move.grad as GPUArray).get().data, transpose64(g.f64, out.shape, moveAxes(4, dst, src)), TOLERANCES.float32, `back ${dst} → ${src}`);
        expect(move.gradShapeFrom(out.shape)).toEqual(shape);
        move.dispose();
        gd.dispose();
      }
    }
    xd.dispose();
  });

  it('backward matches finite differences; a trivial move and too few dims raise ModuleErrors', () => {
    const move = new MoveAxis(2, 0, { name: 'mv' });
    checkModuleGradients(move, [HostArray.randn([2, 3, 4], { seed: 3 })]);
    expect(() => new MoveAxis(1, 1)).toThrow(ModuleError);
    expect(() => new MoveAxis(1, 1)).toThrow(/trivial/);
    const xd = gpuarray.zeros([2, 3]);
    expect(() => move.call(xd)).toThrow(/MoveAxis 'mv'.*3-D.*\(2, 3\)/);
    move.dispose();
    xd.dispose();
  });
});
