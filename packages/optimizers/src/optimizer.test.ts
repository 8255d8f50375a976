import { gpuarray, HostArray } from '@puzzle/backend';
import { MSE } from '@puzzle/cost';
import { Activation, Variable } from '@puzzle/modules';
import { describeEngines, expectClose, liveBuffers, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { AdaDelta } from './adadelta.js';
import { AdaGrad } from './adagrad.js';
import { Adam } from './adam.js';
import { MomentumSGD } from './momentum-sgd.js';
import { NesterovSGD } from './nesterov-sgd.js';
import { OptimizerError } from './optimizer-error.js';
import { RMSProp } from './rmsprop.js';
import { RMSPropGraves } from './rmsprop-graves.js';
import { SGD } from './sgd.js';
import { SMORMS3 } from './smorms3.js';
import { Holder } from './test-support/chain.js';
import { buildMlp, randomWeights, toDevice, type LayerSpec } from './test-support/mlp.js';

const layers: LayerSpec[] = [
  { insize: 8, outsize: 6, useBias: true, act: 'relu' },
  { insize: 6, outsize: 2, useBias: true, act: null },
];

function holderWithGrad(dataShape: number[], gradShape: number[]): Holder {
  return new Holder({ W: new Variable(gpuarray.toGpu(randomData(dataShape, 1).host), { grad: gpuarray.zeros(gradShape) }) });
}

describeEngines('Optimizer', () => {
  it('has the defaults of PuzzleLib §7.2 as persisted attributes', () => {
    const base = { t: 0 };
    expect(new SGD().getAttrDict()).toEqual({ ...base, learnRate: 1e-3 });
    expect(new MomentumSGD().getAttrDict()).toEqual({ ...base, learnRate: 1e-3, momRate: 0.9 });
    expect(new NesterovSGD().getAttrDict()).toEqual({ ...base, learnRate: 1e-3, momRate: 0.9 });
    expect(new RMSProp().getAttrDict()).toEqual({ ...base, learnRate: 1e-3, factor: 0.9, epsilon: 1e-5 });
    expect(new RMSPropGraves().getAttrDict()).toEqual({ ...base, learnRate: 1e-4, alpha: 0.95, momRate: 0.9, epsilon: 1e-4 });
    expect(new AdaGrad().getAttrDict()).toEqual({ ...base, learnRate: 1e-3, epsilon: 1e-8 });
    expect(new AdaDelta().getAttrDict()).toEqual({ ...base, learnRate: 0, rho: 0.95, epsilon: 1e-6 });
    expect(new Adam().getAttrDict()).toEqual({ ...base, learnRate: 0, alpha: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    expect(new SMORMS3().getAttrDict()).toEqual({ ...base, learnRate: 1e-3, epsilon: 1e-16 });
  });

  it("Adam's learnRate is the bias-corrected step size of the last update", () => {
    const holder = holderWithGrad([3], [3]);
    const adam = new Adam({ alpha: 0.02, beta1: 0.8, beta2: 0.99 });
    adam.setupOn(holder);
    for (let i = 0; i < 3; i++) adam.update();
    expect(adam.t).toBe(3);
    expect(adam.learnRate).toBeCloseTo((0.02 * Math.sqrt(1 - 0.99 ** 3)) / (1 - 0.8 ** 3), 15);
    adam.dispose();
    holder.dispose();
  });

  it('misuse raises OptimizerError naming the optimizer and leaves the state unchanged', () => {
    expect(() => new Adam().update()).toThrow(/^Adam: update\(\): not set up on a module yet; call setupOn\(module\) first$/);
    expect(() => new SGD().zeroGradParams()).toThrow(OptimizerError);
    expect(() => new Adam().setupOn(new Activation('relu'))).toThrow(/Adam: Activation has no parameters/);
    expect(() => new Adam({ beta1: 1 })).toThrow(/Adam: beta1 must lie in \[0, 1\), got 1/);
    expect(() => new SGD({ learnRate: -1 })).toThrow(OptimizerError);
    expect(() => new Adam({ nodeinfo: {} })).toThrow(/nodeinfo/);
  });

  it('a grad whose shape differs from its variable is named, in local and global mode', () => {
    const local = holderWithGrad([3, 4], [3, 4]);
    const opt = new SGD({ learnRate: 1 });
    opt.setupOn(local);
    expect(() => opt.setupOn(local)).toThrow(/already set up/);
    const before = local.getVar('W').data.get().toFloat32();
    local.getVar('W').grad!.dispose();
    local.getVar('W').grad = gpuarray.toGpu(randomData([4, 3], 2).host);
    expect(() => opt.update()).toThrow(/SGD: variable 'W' has grad \(4, 3\) float32, expected \(3, 4\) float32/);
    expect(opt.t).toBe(0);
    expect(local.getVar('W').data.get().toFloat32()).toEqual(before);
    const global = holderWithGrad([3, 4], [12]);
    const v = global.getVar('W');
    const live = liveBuffers();
    expect(() => new Adam().setupOn(global, { useGlobalState: true })).toThrow(/Adam: variable 'W' has grad \(12,\)/);
    expect(global.getVar('W')).toBe(v);
    expect(liveBuffers()).toBe(live);
    [opt, local, global].forEach((o) => o.dispose());
  });

  for (const useGlobalState of [false, true]) {
    it(`a training loop keeps live buffers flat and dispose frees everything (global ${useGlobalState})`, () => {
      const baseline = liveBuffers();
      const net = buildMlp(layers, randomWeights(layers, 4));
      const opt = new Adam();
      opt.setupOn(net, { useGlobalState });
      const mse = new MSE();
      const x = toDevice(randomData([5, 8], 5).f64, [5, 8]);
      const t = toDevice(randomData([5, 2], 6).f64, [5, 2]);
      const step = () => {
        const [, grad] = mse.call(net.call(x), t);
        opt.zeroGradParams();
        net.backward(grad);
        opt.update();
      };
      step();
      const steady = liveBuffers();
      for (let i = 0; i < 5; i++) step();
      expect(liveBuffers()).toBe(steady);
      [mse, opt, net].forEach((o) => o.dispose());
      [x, t].forEach((a) => a.dispose());
      expect(liveBuffers()).toBe(baseline);
    });
  }

  it('updates only variables with learnRate > 0 and scales by var.learnRate in local mode', () => {
    const a = new Variable(gpuarray.toGpu(randomData([4], 7).host), { grad: gpuarray.toGpu(randomData([4], 8).host) });
    const b = new Variable(gpuarray.toGpu(randomData([4], 9).host), { grad: gpuarray.toGpu(randomData([4], 10).host) });
    a.learnRate = 0.5;
    b.learnRate = 0;
    const holder = new Holder({ a, b });
    const before = [a, b].map((v) => Float64Array.from(v.data.get().toFloat32()));
    const opt = new SGD({ learnRate: 0.1 });
    opt.setupOn(holder);
    opt.update();
    const g = Float64Array.from(a.grad!.get().toFloat32());
    expectClose(a.data.get().toFloat32(), before[0]!.map((p, i) => p + 0.05 * g[i]!), TOLERANCES.float32, 'a');
    expect(Float64Array.from(b.data.get().toFloat32())).toEqual(before[1]);
    opt.dispose();
    holder.dispose();
  });
});

describeEngines('Optimizer checkpoint', () => {
  it('save then load into a fresh optimizer resumes the same trajectory (global Adam)', () => {
    const x = toDevice(randomData([5, 8], 11).f64, [5, 8]);
    const t = toDevice(randomData([5, 2], 12).f64, [5, 2]);
    const mse = new MSE();
    const run = (net: ReturnType<typeof buildMlp>, opt: Adam, steps: number) => {
      for (let i = 0; i < steps; i++) {
        const [, grad] = mse.call(net.call(x), t);
        opt.zeroGradParams();
        net.backward(grad);
        opt.update();
      }
    };
    const net = buildMlp(layers, randomWeights(layers, 13));
    const opt = new Adam({ alpha: 0.01 });
    opt.setupOn(net, { useGlobalState: true });
    run(net, opt, 3);
    const ckpt = opt.save();
    expect(Object.keys(ckpt.attrs).sort()).toEqual(['alpha', 'beta1', 'beta2', 'epsilon', 'learnRate', 't']);
    expect(Object.keys(ckpt.states).sort()).toEqual(["<class 'numpy.float32'>.mg", "<class 'numpy.float32'>.ms"]);
    const weights = opt.shParams.get('float32')!.ary.get();
    run(net, opt, 2);
    const resumed = buildMlp(layers, randomWeights(layers, 14));
    const opt2 = new Adam();
    opt2.setupOn(resumed, { useGlobalState: true });
    opt2.shParams.get('float32')!.ary.set(weights);
    opt2.load(ckpt);
    expect([opt2.t, opt2.alpha, opt2.learnRate]).toEqual([3, 0.01, ckpt.attrs['learnRate']]);
    run(resumed, opt2, 2);
    expectClose(opt2.shParams.get('float32')!.ary.get().toFloat32(), Float64Array.from(opt.shParams.get('float32')!.ary.get().toFloat32()), TOLERANCES.float32);
    [mse, opt, opt2, net, resumed].forEach((o) => o.dispose());
    [x, t].forEach((a) => a.dispose());
  });

  it('a mismatched checkpoint raises OptimizerError and changes nothing', () => {
    const holder = holderWithGrad([3], [3]);
    const opt = new Adam();
    opt.setupOn(holder);
    const other = holderWithGrad([4], [4]);
    const opt2 = new Adam({ alpha: 0.5 });
    opt2.setupOn(other);
    opt2.update();
    expect(() => opt.load(opt2.save())).toThrow(/Adam: cannot load checkpoint: state 'W.mg' is \(4,\) float32, expected \(3,\) float32/);
    expect(() => opt.load({ attrs: { bogus: 1 }, states: {} })).toThrow(/unknown attribute 'bogus'/);
    expect([opt.t, opt.alpha]).toEqual([0, 1e-3]);
    expect(opt.stateDict()['W.mg']!.get().toFloat32().every((v) => v === 0)).toBe(true);
    expect(() => opt.load({ attrs: {}, states: { 'W.mg': HostArray.zeros([3]) } })).toThrow(/state 'W.ms' is missing/);
    [opt, opt2, holder, other].forEach((o) => o.dispose());
  });
});
