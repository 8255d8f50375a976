import { gpuarray } from '@puzzle/backend';
import { Variable } from '@puzzle/modules';
import { describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { it } from 'vitest';
import { SGD } from './sgd.js';
import { Holder } from './test-support/chain.js';
import { WeightDecay } from './weight-decay.js';

function setup(useGlobalState: boolean) {
  const make = (seed: number) => new Variable(gpuarray.toGpu(randomData([6], seed).host), { grad: gpuarray.toGpu(randomData([6], seed + 1).host) });
  const decayed = make(1);
  const plain = make(3);
  decayed.wc = 0.5;
  const host = [decayed, plain].map((v) => ({ p: Float64Array.from(v.data.get().toFloat32()), g: Float64Array.from(v.grad!.get().toFloat32()) }));
  const holder = new Holder({ decayed, plain });
  const opt = new SGD({ learnRate: 0.1 });
  opt.addHook(new WeightDecay(0.2));
  opt.setupOn(holder, { useGlobalState });
  return { holder, opt, host };
}

describeEngines('WeightDecay', () => {
  it('local mode: grad −= rate·wc·param before the update, only where wc > 0', () => {
    const { holder, opt, host } = setup(false);
    opt.update();
    const [d, p] = host;
    expectClose(holder.getVar('decayed').data.get().toFloat32(), d!.p.map((w, i) => w + 0.1 * (d!.g[i]! - 0.2 * 0.5 * w)), TOLERANCES.float32, 'decayed');
    expectClose(holder.getVar('plain').data.get().toFloat32(), p!.p.map((w, i) => w + 0.1 * p!.g[i]!), TOLERANCES.float32, 'plain');
    opt.dispose();
    holder.dispose();
  });

  it('global mode: inert on the flat variable (wc 0) until its wc is set', () => {
    const { holder, opt, host } = setup(true);
    opt.update();
    const [d] = host;
    const afterOne = d!.p.map((w, i) => w + 0.1 * d!.g[i]!);
    expectClose(holder.getVar('decayed').data.get().toFloat32(), afterOne, TOLERANCES.float32, 'no decay');
    opt.globalVar.get('float32')!.wc = 1;
    opt.update();
    const afterTwo = afterOne.map((w, i) => w + 0.1 * (d!.g[i]! - 0.2 * w));
    expectClose(holder.getVar('decayed').data.get().toFloat32(), afterTwo, TOLERANCES.float32, 'decay of the flat variable');
    opt.dispose();
    holder.dispose();
  });
});
