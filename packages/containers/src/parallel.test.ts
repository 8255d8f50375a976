import { gpuarray, GPUArray } from '@puzzle/backend';
import { Activation, Concat, Identity, Linear } from '@puzzle/modules';
import { describeEngines, expectClose, expectNoLeak, matmul64, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { ContainerError } from './container-error.js';
import { Parallel } from './parallel.js';
import { Sequential } from './sequential.js';

const host64 = (a: GPUArray) => Float64Array.from(a.get().toFloat32());
const sigmoid64 = (v: number) => 1 / (1 + Math.exp(-v));

describeEngines('Parallel', () => {
  it('runs branches side by side; with Concat the columns and the grads route back to their inputs', () => {
    const n = 5;
    const branch = new Sequential().append(new Linear(12, 6)).append(new Activation('sigmoid'));
    branch.getVar('0.b').data.set(randomData([6], 9).host);
    const parallel = new Parallel().append(branch).append(new Identity()).append(new Identity());
    const concat = new Concat(1);
    const xs = [randomData([n, 12], 1), randomData([n, 3], 2), randomData([n, 4], 3)];
    const inputs = xs.map((x) => gpuarray.toGpu(x.host));

    const out = concat.call(parallel.call(inputs)) as GPUArray;
    expect(out.shape).toEqual([n, 13]);
    expect(parallel.dataShapeFrom(xs.map((x) => x.host.shape))).toEqual([[n, 6], [n, 3], [n, 4]]);
    const host = out.get().data;
    const columns = (data: ArrayLike<number>, from: number, to: number) => Array.from({ length: n * (to - from) }, (_, k) => data[Math.floor(k / (to - from)) * 13 + from + (k % (to - from))]!);
    expectClose(columns(host, 6, 9), xs[1]!.f64, TOLERANCES.float32, 'identity branch 1');
    expectClose(columns(host, 9, 13), xs[2]!.f64, TOLERANCES.float32, 'identity branch 2');
    const [W, b] = ['0.W', '0.b'].map((name) => host64(branch.getVar(name).data));
    const h = matmul64(xs[0]!.f64, W!, n, 12, 6).map((v, i) => sigmoid64(v + b![i % 6]!));
    expectClose(columns(host, 0, 6), h, TOLERANCES.float32Accumulated, 'linear branch');

    const g = randomData([n, 13], 4);
    const gd = gpuarray.toGpu(g.host);
    concat.backward(gd);
    parallel.backward(concat.grad!);
    const grads = parallel.grad as GPUArray[];
    expectClose(grads[1]!.get().data, columns(g.f64, 6, 9), TOLERANCES.float32, 'grad of branch 1');
    expectClose(grads[2]!.get().data, columns(g.f64, 9, 13), TOLERANCES.float32, 'grad of branch 2');
    const d = Float64Array.from(columns(g.f64, 0, 6), (v, i) => v * h[i]! * (1 - h[i]!));
    expectClose(grads[0]!.get().data, matmul64(d, W!, n, 6, 12, false, true), TOLERANCES.float32Accumulated, 'grad of branch 0');
    expect(parallel.gradShapeFrom([[n, 6], [n, 3], [n, 4]])).toEqual([[n, 12], [n, 3], [n, 4]]);

    // Every other branch, as PuzzleLib's parallel[::2].
    const ends = parallel.slice(0, 3, 2);
    expect(ends.graph).toEqual([branch, parallel.getByIndex(2)]);
    expect((ends.call([inputs[0]!, inputs[2]!]) as GPUArray[]).map((o) => o.shape)).toEqual([[n, 6], [n, 4]]);
    ends.reset();
    parallel.dispose();
    concat.dispose();
    [...inputs, gd].forEach((a) => a.dispose());
  });

  it('forwards updGrad and accumulates param grads with momentum 1', () => {
    const lin = new Linear(3, 2);
    const parallel = new Parallel().append(lin).append(new Identity());
    const a = gpuarray.toGpu(randomData([2, 3], 5).host);
    const b = gpuarray.toGpu(randomData([2, 2], 6).host);
    const g = gpuarray.toGpu(randomData([2, 2], 7).host);
    parallel.call([a, b]);
    parallel.zeroGradParams();
    parallel.backward([g, g], { updGrad: false });
    expect(parallel.grad).toBeNull();
    expect(lin.grad).toBeNull();
    const fresh = host64(lin.vars['W']!.grad!);
    expect(fresh.some((v) => v !== 0)).toBe(true);
    parallel.backward([g, g]);
    expectClose(lin.vars['W']!.grad!.get().data, fresh.map((v) => 2 * v), TOLERANCES.float32);
    expectNoLeak(() => {
      parallel.call([a, b]);
      parallel.backward([g, g]);
    });
    parallel.dispose();
    [a, b, g].forEach((x) => x.dispose());
  });

  it('rejects a wrong number of inputs and names a failing branch', () => {
    const parallel = new Parallel('par').append(new Linear(3, 2, { name: 'fc' })).append(new Identity());
    const a = gpuarray.zeros([2, 3]);
    expect(() => parallel.call([a])).toThrow(ContainerError);
    expect(() => parallel.call([a])).toThrow(/Parallel 'par': expects a list of 2 inputs.*\[\(2, 3\)\]/);
    const wide = gpuarray.zeros([2, 4]);
    expect(() => parallel.call([wide, a])).toThrow(/branch 0 \(Linear 'fc'\): Linear 'fc'.*\(2, 4\)/);
    parallel.dispose();
    a.dispose();
    wide.dispose();
  });
});
