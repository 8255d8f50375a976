import { gpuarray, HostArray } from '@puzzle/backend';
import { Sequential } from '@puzzle/containers';
import { MSE } from '@puzzle/cost';
import { Activation, Linear } from '@puzzle/modules';
import { describeEngines } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Adam } from '../adam.js';
import { NesterovSGD } from '../nesterov-sgd.js';
import type { Optimizer } from '../optimizer.js';
import { saveOptimizer } from './optimizer-file.js';

const STEPS = 4;

function model(seed: number): Sequential {
  const seq = new Sequential().append(new Linear(6, 8)).append(new Activation('relu')).append(new Linear(8, 3));
  [...seq.getVarTable().keys()].forEach((v, i) => v.data.set(HostArray.randn([...v.data.shape], { seed: seed + i })));
  return seq;
}

interface Run {
  seq: Sequential;
  opt: Optimizer;
  losses: number[];
}

function steps(run: Run, data: ReturnType<typeof gpuarray.toGpu>, target: ReturnType<typeof gpuarray.toGpu>, cost: MSE, n: number): void {
  for (let i = 0; i < n; i++) {
    const [error, grad] = cost.call(run.seq.call(data) as typeof data, target);
    run.opt.zeroGradParams();
    run.seq.backward(grad);
    run.opt.update();
    run.losses.push(error);
  }
}

const params = (seq: Sequential) => [...seq.getVarTable().keys()].map((v) => Array.from(v.data.get().data));

describeEngines('Resuming from checkpoints', () => {
  for (const [label, makeOpt, useGlobalState] of [
    ['Adam, global state', () => new Adam({ alpha: 0.01 }), true],
    ['NesterovSGD, local state', () => new NesterovSGD({ learnRate: 0.05 }), false],
  ] as const) {
    it(`continues exactly the uninterrupted trajectory (${label})`, async () => {
      const data = gpuarray.toGpu(HostArray.randn([10, 6], { seed: 1 }));
      const target = gpuarray.toGpu(HostArray.randn([10, 3], { seed: 2 }));
      const cost = new MSE();
      const start = (seed: number): Run => {
        const run = { seq: model(seed), opt: makeOpt(), losses: [] };
        run.opt.setupOn(run.seq, { useGlobalState });
        return run;
      };

      const straight = start(10);
      steps(straight, data, target, cost, 2 * STEPS);

      const first = start(10);
      steps(first, data, target, cost, STEPS);
      const modelBytes = await first.seq.save();
      const optBytes = (await saveOptimizer(first.opt)) as Uint8Array;
      // Fresh objects with other weights: everything must come from the checkpoint.
      const resumed = start(99);
      await resumed.seq.load(modelBytes);
      await resumed.opt.load(optBytes);
      expect(resumed.opt.t).toBe(STEPS);
      resumed.losses.push(...first.losses);
      steps(resumed, data, target, cost, STEPS);

      expect(resumed.losses).toEqual(straight.losses);
      expect(params(resumed.seq)).toEqual(params(straight.seq));
      expect(straight.losses[2 * STEPS - 1]).toBeLessThan(straight.losses[0]!);
      for (const r of [straight, first, resumed]) {
        r.opt.dispose();
        r.seq.dispose();
      }
      for (const d of [data, target, cost]) d.dispose();
    });
  }
});

