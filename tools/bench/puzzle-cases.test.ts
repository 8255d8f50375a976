import { createRequire } from 'node:module';
import type * as TfCore from '@tensorflow/tfjs-core';
import { countOps, setBackend, type OpCounts } from '@puzzle/backend';
import { describeEngines } from '@puzzle/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { quickPlan } from './plans.js';
import { puzzleCase } from './puzzle-cases.js';

/** The engine calls of `steps` consecutive steps of a case, after one warm-up step (first-use allocations). */
function stepCounts(caseId: string, steps: number): OpCounts {
  const plan = quickPlan();
  const spec = plan.cases.find((c) => c.id === caseId)!;
  const workload = puzzleCase(spec, plan);
  try {
    workload.step(0);
    return countOps(() => {
      for (let i = 1; i <= steps; i++) workload.step(i);
    }).counts;
  } finally {
    workload.dispose();
  }
}

// The training steps the benchmark times are launch-bound on a GPU: these pin how many engine calls they make and
// that the host waits only where the loop reads its error (every 5th step), so a regression shows up here without a GPU.
describeEngines('benchmark training steps', () => {
  it('(a) trainSimpleTest: one host wait per 5 steps and a fixed, small number of calls per step', () => {
    const counts = stepCounts('a', 5);
    expect(counts.syncs).toBe(1);
    // Per step, 17 calls: forward 3 gemms, 2 ReLUs and the bias add; the fused MSE; zeroing the global gradient;
    // backward 5 gemms (the first layer needs no input gradient), 2 ReLU derivatives and the bias-gradient sum; one
    // fused Adam step over the whole global state. The one read is the error of step 5.
    const perStep = { gemm: 8, 'elementwise(activation)': 2, addVecToMat: 1, 'costs.cost(mse)': 1, fill: 1, sumOnMatrix: 1, 'elementwise(activationGrad)': 2, 'optimizerStep(adam)': 1 };
    expect(counts.calls).toEqual({ ...Object.fromEntries(Object.entries(perStep).map(([op, n]) => [op, 5 * n])), read: 1 });
  });

  it('(c) LeNet with CrossEntropy: one host wait per 5 steps', () => {
    const counts = stepCounts('c', 5);
    expect(counts.syncs).toBe(1);
    expect(counts.calls['costs.cost(crossEntropy)']).toBe(5);
    expect(counts.calls['optimizerStep(adam)']).toBe(5);
    // 28 calls a step: each conv's weight gradient is one call whatever the batch size.
    expect(counts.total).toBe(5 * 28 + 1);
  });
});

/** tfjs-core as the tfjs engine loads it (CommonJS), so that its tensor count is the engine's. */
const tfjsCore = createRequire(import.meta.url)('@tensorflow/tfjs-core') as typeof TfCore;

// Each tfjs engine call wraps host memory in tensors for its kernels only: a training step must leave none behind,
// or a long run grows the wasm heap without bound.
describe('benchmark training steps [tfjs]', () => {
  beforeAll(() => setBackend('tfjs'));

  it.each(['a', 'c'])('(%s) leaves no tfjs tensor behind', (caseId) => {
    const plan = quickPlan();
    const workload = puzzleCase(plan.cases.find((c) => c.id === caseId)!, plan);
    try {
      workload.step(0);
      const before = tfjsCore.memory().numTensors;
      for (let i = 1; i <= 5; i++) workload.step(i);
      expect(tfjsCore.memory().numTensors).toBe(before);
    } finally {
      workload.dispose();
    }
  });
});
