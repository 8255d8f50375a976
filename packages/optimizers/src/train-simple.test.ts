import { gpuarray, seedGlobalRng } from '@puzzle/backend';
import { Sequential } from '@puzzle/containers';
import { MSE } from '@puzzle/cost';
import { Activation, Linear } from '@puzzle/modules';
import { describeEngines, randomData } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { CASES } from './test-support/catalog.js';

/** PuzzleLib's trainSimpleTest net: 128-64-32-16 with ReLUs, the first two layers without bias. */
function simpleNet(): Sequential {
  return new Sequential()
    .append(new Linear(128, 64, { useBias: false }))
    .append(new Activation('relu'))
    .append(new Linear(64, 32, { useBias: false }))
    .append(new Activation('relu'))
    .append(new Linear(32, 16));
}

describeEngines('trainSimpleTest', () => {
  CASES.forEach((c, k) => {
    it(`${c.kind} converges on 16 random targets in 200 steps (global state)`, () => {
      seedGlobalRng(1000 + k);
      const net = simpleNet();
      const opt = c.make(c.train);
      opt.setupOn(net, { useGlobalState: true });
      const mse = new MSE();
      const data = gpuarray.toGpu(randomData([16, 128], 1).host);
      const target = gpuarray.toGpu(randomData([16, 16], 2).host);
      const errors: number[] = [];
      for (let i = 0; i < 200; i++) {
        const [error, grad] = mse.call(net.call(data), target);
        opt.zeroGradParams();
        net.backward(grad);
        opt.update();
        errors.push(error);
      }
      expect(errors.every(Number.isFinite)).toBe(true);
      expect(errors.at(-1)!, `${c.kind}: first ${errors[0]}, last ${errors.at(-1)}`).toBeLessThan(0.1 * errors[0]!);
      [mse, opt, net].forEach((o) => o.dispose());
      [data, target].forEach((a) => a.dispose());
    });
  });
});
