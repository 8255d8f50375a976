import { gpuarray, HostArray } from '@puzzle/backend';
import { describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Activation } from './activation.js';
import { ModuleError } from './errors.js';
import { Linear } from './linear.js';
import { Variable } from './variable.js';

describeEngines('Module base', () => {
  it('zeroGradParams zeroes every grad; updateParams adds learnRate·grad (neg-grad convention)', () => {
    const lin = new Linear(3, 2);
    const W0 = Float64Array.from(lin.W.get().toFloat32());
    const g = randomData([3, 2], 1);
    lin.getVar('W').grad!.set(g.host);
    lin.updateParams(0.1);
    expectClose(lin.W.get().data, W0.map((w, i) => w + 0.1 * g.f64[i]!), TOLERANCES.float32);
    lin.zeroGradParams();
    expect(Array.from(lin.getVar('W').grad!.get().data)).toEqual([0, 0, 0, 0, 0, 0]);
    lin.dispose();
  });

  it('a variable with a custom updater is updated through it', () => {
    const lin = new Linear(2, 2, { useBias: false });
    const seen: number[] = [];
    lin.setVar('W', new Variable(lin.W, { updater: (_v, lr) => seen.push(lr) }));
    lin.updateParams(0.5);
    expect(seen).toEqual([0.5]);
    expect(lin.getVar('W').grad).toBeNull();
    lin.dispose();
  });

  it('var tables use plain names for a root module, even a named one', () => {
    const lin = new Linear(2, 3, { name: 'fc' });
    const names = [...lin.getVarTable().values()].flat().sort();
    expect(names).toEqual(['W', 'b']);
    expect(lin.numOfParams()).toBe(9);
    expect(lin.paramSize()).toBe(36);
    expect(() => lin.getVar('V')).toThrow(/Linear 'fc': has no variable 'V' \(has W, b\)/);
    lin.dispose();
  });

  it('evalMode skips parameter grads; trainMode and reset drop the last output', () => {
    const lin = new Linear(4, 2);
    const x = gpuarray.toGpu(HostArray.randn([3, 4], { seed: 2 }));
    lin.call(x);
    lin.evalMode();
    expect(lin.data).toBeNull();
    lin.zeroGradParams();
    lin.call(x);
    lin.backward(gpuarray.toGpu(HostArray.randn([3, 2], { seed: 3 })));
    expect(Array.from(lin.getVar('W').grad!.get().data).every((v) => v === 0)).toBe(true);
    expect(lin.grad).not.toBeNull();
    lin.trainMode();
    expect(lin.train).toBe(true);
    expect(lin.data).toBeNull();
    x.dispose();
    lin.dispose();
  });

  it('checks dtypes, refuses backward before forward and non-float32 calcMode', () => {
    const act = new Activation('relu');
    const half = gpuarray.zeros([2, 2], 'float16');
    expect(() => act.call(half)).toThrow(/expected dtype float32, got float16/);
    expect(() => act.backward(gpuarray.zeros([2, 2]))).toThrow(ModuleError);
    expect(() => act.calcMode('float16')).toThrow(/does not support calcMode\(float16\)/);
    half.dispose();
  });

  it('an in-place activation writes over its input', () => {
    const x = randomData([5], 4);
    const X = gpuarray.toGpu(x.host);
    const act = new Activation('tanh', { inplace: true });
    const y = act.call(X);
    expect((y as typeof X).sharesStorageWith(X)).toBe(true);
    expectClose(X.get().data, x.f64.map(Math.tanh), TOLERANCES.float32);
    X.dispose();
    act.dispose();
  });
});
