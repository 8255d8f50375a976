import { gpuarray, HostArray } from '@puzzle/backend';
import { Sequential } from '@puzzle/containers';
import { MSE } from '@puzzle/cost';
import { Activation, Linear } from '@puzzle/modules';
import { describeEngines, liveBuffers } from '@puzzle/testing';
import { expect, it, vi } from 'vitest';
import { Adam } from './adam.js';
import { OptimizerError } from './optimizer-error.js';
import { SGD } from './sgd.js';

const mlp = () => new Sequential().append(new Linear(4, 3)).append(new Activation('relu')).append(new Linear(3, 2));
const weights = (net: Sequential) => [...net.getVarTable().keys()].map((v) => Array.from(v.data.get().data));

/** One training step of `net` with `opt` on fixed data. */
function step(net: Sequential, opt: { zeroGradParams(): void; update(): void }): void {
  const x = gpuarray.toGpu(HostArray.randn([5, 4], { seed: 1 }));
  const y = gpuarray.toGpu(HostArray.randn([5, 2], { seed: 2 }));
  const cost = new MSE();
  const [, grad] = cost.call(net.call(x), y);
  opt.zeroGradParams();
  net.backward(grad);
  opt.update();
  for (const d of [x, y, cost]) d.dispose();
}

describeEngines('Optimizer ownership of variables', () => {
  it('a second global-state optimizer on the same net is refused, naming the first (it used to take the variables silently)', () => {
    const net = mlp();
    const first = new SGD({ learnRate: 0.1 });
    first.setupOn(net, { useGlobalState: true });
    const second = new Adam();
    expect(() => second.setupOn(net, { useGlobalState: true })).toThrow(OptimizerError);
    expect(() => second.setupOn(net, { useGlobalState: true })).toThrow(
      /^Adam: cannot set up on Sequential: its variables '0\.W', '0\.b', '2\.W', … \(4\) are held by SGD \(set up on Sequential\), .*dispose\(\) that optimizer first, or pass \{ takeOver: true \}/,
    );
    expect(() => new SGD().setupOn(net)).toThrow(/held by SGD/);
    const before = weights(net);
    step(net, first);
    expect(weights(net)).not.toEqual(before);
    for (const d of [second, first, net]) d.dispose();
  });

  it('takeOver detaches the first optimizer: its state is freed and its update() fails naming the new one', () => {
    const net = mlp();
    const first = new SGD({ learnRate: 0.1 });
    first.setupOn(net, { useGlobalState: true });
    const live = liveBuffers();
    const second = new Adam({ alpha: 0.01 });
    second.setupOn(net, { useGlobalState: true, takeOver: true });
    expect(() => first.update()).toThrow(
      /^SGD: update\(\): this optimizer was detached: Adam \(set up on Sequential\) took over the variables of Sequential \(setupOn with takeOver\), so this optimizer updates nothing any more/,
    );
    expect(() => first.zeroGradParams()).toThrow(/was detached/);
    // The first one's two shared buffers (params, grads) went; Adam's four (params, grads, two moments) came.
    expect(liveBuffers()).toBe(live + 2);
    const before = weights(net);
    step(net, second);
    expect(weights(net)).not.toEqual(before);
    for (const d of [second, first, net]) d.dispose();
  });

  it('dispose() gives the variables up: another optimizer then sets up without takeOver', () => {
    const net = mlp();
    const first = new SGD();
    first.setupOn(net);
    first.dispose();
    const second = new Adam();
    second.setupOn(net, { useGlobalState: true });
    step(net, second);
    for (const d of [second, net]) d.dispose();
  });

  for (const useGlobalState of [false, true]) {
    const mode = useGlobalState ? 'global' : 'local';

    it(`a layer appended after setupOn makes update() fail naming its variables (${mode} state)`, () => {
      const net = mlp();
      const opt = new SGD({ learnRate: 0.1 });
      opt.setupOn(net, { useGlobalState });
      net.append(new Activation('tanh')).append(new Linear(2, 2));
      expect(() => step(net, opt)).toThrow(/^SGD: zeroGradParams\(\): Sequential gained variables since setupOn, which would never be trained: '4\.W', '4\.b'; set an optimizer up/);
      expect(() => opt.update()).toThrow(/^SGD: update\(\): Sequential gained variables since setupOn/);
      expect(opt.t).toBe(0);
      for (const d of [opt, net]) d.dispose();
    });

    it(`update() after net.dispose() fails instead of returning quietly (${mode} state)`, () => {
      const net = mlp();
      const opt = new Adam();
      opt.setupOn(net, { useGlobalState });
      net.dispose();
      expect(() => opt.update()).toThrow(/^Adam: update\(\): Sequential has no variables left \(was it disposed\?\) since setupOn/);
      opt.dispose();
    });
  }

  it('a variable disposed on its own is named', () => {
    const net = mlp();
    const opt = new SGD();
    opt.setupOn(net);
    net.getVar('2.b').dispose();
    expect(() => opt.update()).toThrow(/^SGD: update\(\): variables of Sequential were removed or disposed since setupOn: '2\.b'/);
    for (const d of [opt, net]) d.dispose();
  });

  it('update() after optimizer.dispose() says it was disposed, not "called before setupOn"', () => {
    const net = mlp();
    const opt = new Adam();
    opt.setupOn(net, { useGlobalState: true });
    opt.dispose();
    expect(() => opt.update()).toThrow(/^Adam: update\(\): this optimizer was disposed \(dispose\(\) freed its state\); set it up again with setupOn\(module\)/);
    opt.setupOn(net);
    step(net, opt);
    for (const d of [opt, net]) d.dispose();
  });

  it('costs no walk of the module per step while nothing changes', () => {
    const net = mlp();
    const opt = new Adam();
    opt.setupOn(net, { useGlobalState: true });
    const walk = vi.spyOn(net, 'getVarTable');
    for (let i = 0; i < 3; i++) step(net, opt);
    expect(walk).not.toHaveBeenCalled();
    walk.mockRestore();
    for (const d of [opt, net]) d.dispose();
  });
});
