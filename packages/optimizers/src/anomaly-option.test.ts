import { gpuarray, HostArray } from '@puzzle/backend';
import { Sequential } from '@puzzle/containers';
import { MSE } from '@puzzle/cost';
import { Trainer } from '@puzzle/handlers';
import { Activation, AnomalyError, Linear } from '@puzzle/modules';
import { describeEngines } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Adam } from './adam.js';
import { SGD } from './sgd.js';

const mlp = () => new Sequential().append(new Linear(4, 5)).append(new Activation('relu')).append(new Linear(5, 1));

describeEngines('Anomaly detection as an option of optimizers and Trainer', () => {
  it('new Adam({ detectAnomaly: true }) watches its net only, reports step t + 1, and dispose() stops it', () => {
    const net = mlp();
    const other = mlp();
    const opt = new Adam({ detectAnomaly: true });
    opt.setupOn(net);
    const data = gpuarray.toGpu(HostArray.randn([3, 4], { seed: 1 }));
    const target = gpuarray.toGpu(HostArray.randn([3, 1], { seed: 2 }));
    const cost = new MSE();
    for (let i = 0; i < 2; i++) {
      const [, grad] = cost.call(net.call(data), target);
      opt.zeroGradParams();
      net.backward(grad);
      opt.update();
    }
    const poisoned = gpuarray.toGpu(HostArray.from([Number.NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], { shape: [3, 4] }));
    expect(() => net.call(poisoned)).toThrow(AnomalyError);
    expect(() => net.call(poisoned)).toThrow(/^Linear '0': forward at step 3: /);
    expect(() => other.call(poisoned)).not.toThrow();
    opt.dispose();
    expect(() => net.call(poisoned)).not.toThrow();
    for (const d of [net, other, data, target, poisoned, cost]) d.dispose();
  });

  it('Trainer({ detectAnomaly: true }) stops at the first NaN a batch brings, naming the module and the batch step', () => {
    const net = mlp();
    const opt = new SGD({ learnRate: 0.01 });
    opt.setupOn(net, { useGlobalState: true });
    const values = HostArray.randn([8, 4], { seed: 3 });
    values.data[6 * 4 + 2] = Number.NaN;
    const data = gpuarray.toGpu(values);
    const target = gpuarray.toGpu(HostArray.randn([8, 1], { seed: 4 }));
    const trainer = new Trainer(net, new MSE(), opt, { batchsize: 2, detectAnomaly: true });
    const before = [...net.getVarTable().keys()].map((v) => Array.from(v.data.get().data));
    expect(() => trainer.train(data, target, { random: false })).toThrow(
      /^Linear '0': forward at step 4: 5 non-finite values \(NaN or ±Inf\) in its output; its input already held 1 non-finite value/,
    );
    // Three clean batches trained; the poisoned fourth never reached the weights.
    const after = [...net.getVarTable().keys()].map((v) => Array.from(v.data.get().data));
    expect(after.flat().every(Number.isFinite)).toBe(true);
    expect(after).not.toEqual(before);
    for (const d of [opt, net, data, target, trainer.cost as MSE]) d.dispose();
  });
});
