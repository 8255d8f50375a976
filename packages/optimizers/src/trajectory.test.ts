import { MSE } from '@puzzle/cost';
import { describeEngines, expectClose, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { CASES, type OptimizerCase } from './test-support/catalog.js';
import { buildMlp, mlpNegGrads, randomWeights, readWeights, toDevice, type LayerSpec, type Weights } from './test-support/mlp.js';
import { initialState, referenceStep } from './test-support/reference-rules.js';

const layers: LayerSpec[] = [
  { insize: 6, outsize: 5, useBias: true, act: 'tanh' },
  { insize: 5, outsize: 3, useBias: true, act: null },
];
const batch = 4;
const x = randomData([batch, 6], 1).f64;
const target = randomData([batch, 3], 2).f64;

/** Trains the fixed-weight MLP for `steps` steps, calling `onStep(step, error, weights)` after each update. */
function train(c: OptimizerCase, useGlobalState: boolean, steps: number, onStep: (step: number, error: number, w: Weights) => void): void {
  const net = buildMlp(layers, randomWeights(layers, 3));
  const opt = c.make(c.train);
  opt.setupOn(net, { useGlobalState });
  const mse = new MSE();
  const [xd, td] = [toDevice(x, [batch, 6]), toDevice(target, [batch, 3])];
  for (let step = 1; step <= steps; step++) {
    const [error, grad] = mse.call(net.call(xd), td);
    opt.zeroGradParams();
    net.backward(grad);
    opt.update();
    onStep(step, error, readWeights(net));
  }
  [xd, td].forEach((a) => a.dispose());
  [mse, opt, net].forEach((o) => o.dispose());
}

describeEngines('optimizer trajectories', () => {
  for (const c of CASES) {
    it(`${c.kind}: 20 steps on an MLP follow a float64 re-implementation step by step`, () => {
      const ref = randomWeights(layers, 3);
      const state = Object.fromEntries(Object.entries(ref).map(([name, w]) => [name, initialState(c.kind, w.length)]));
      let moved = 0;
      train(c, true, 20, (step, error, weights) => {
        const { error: refError, grads } = mlpNegGrads(layers, ref, x, target, batch);
        expectClose([error], [refError], TOLERANCES.float32Accumulated, `${c.kind} error at step ${step}`);
        for (const name of Object.keys(ref)) {
          const before = ref[name]![0]!;
          referenceStep(c.kind, c.train, ref[name]!, grads[name]!, state[name]!, step);
          moved = Math.max(moved, Math.abs(ref[name]![0]! - before));
          expectClose(weights[name]!, ref[name]!, TOLERANCES.float32Accumulated, `${c.kind} ${name} at step ${step}`);
        }
      });
      expect(moved, 'the reference weights must move').toBeGreaterThan(1e-4);
    });

    it(`${c.kind}: local and global state give the same trajectory`, () => {
      const local: Weights[] = [];
      train(c, false, 10, (_, __, w) => local.push(w));
      train(c, true, 10, (step, _, w) => {
        for (const name of Object.keys(w)) expectClose(w[name]!, local[step - 1]![name]!, TOLERANCES.float32, `${c.kind} ${name} at step ${step}`);
      });
    });
  }
});
