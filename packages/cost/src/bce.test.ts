import { gpuarray, HostArray } from '@puzzle/backend';
import { describeEngines, expectClose, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BCE } from './bce.js';
import { CostError } from './cost-error.js';
import { expectNegDerivative, floatData, labelData, sum } from './test-support/cost-fixtures.js';

describeEngines('BCE', () => {
  it('error and grad match mean binary cross-entropy and (y − σ)/S on spatial scores', () => {
    const scores = floatData([20, 1, 4, 4], 1, 2);
    const labels = labelData([20, 4, 4], 0, 2, 2);
    const bce = new BCE();
    const [error, grad] = bce.call(scores.dev, labels.dev);
    const p = scores.f64.map((s) => 1 / (1 + Math.exp(-s)));
    const ref = -sum(p.map((q, i) => (labels.host[i] === 1 ? Math.log(q) : Math.log(1 - q)))) / 320;
    expectClose([error], [ref], TOLERANCES.float32, 'error');
    expectClose(grad.get().data, p.map((q, i) => (labels.host[i]! - q) / 320), TOLERANCES.float32, 'grad');
    bce.dispose();
    [scores, labels].forEach((a) => a.dev.dispose());
  });

  it('validate is the fraction of scores on the wrong side of 0', () => {
    const scores = gpuarray.toGpu(HostArray.from([...Array(500).fill(-1), ...Array(500).fill(1)], { shape: [1000, 1] }));
    const labels = gpuarray.toGpu(HostArray.from([...Array(490).fill(0), ...Array(510).fill(1)], { dtype: 'int32' }));
    const bce = new BCE();
    // 10 labels of 1 under score −1: exactly those are wrong.
    expect(bce.validate(scores, labels)).toBeCloseTo(10 / 1000, 12);
    bce.dispose();
    [scores, labels].forEach((a) => a.dispose());
  });

  it('grad is minus the derivative of the error', () => {
    const scores = floatData([6, 1], 3, 2);
    const labels = labelData([6], 0, 2, 4);
    const bce = new BCE();
    const grad = bce.call(scores.dev, labels.dev, { queryError: false }).get().data;
    expectNegDerivative({ errorAt: (s) => bce.call(s, labels.dev)[0], pred: scores.host, grad });
    bce.dispose();
    [scores, labels].forEach((a) => a.dev.dispose());
  });

  it('labels out of {0, 1} and mismatched shapes raise CostError', () => {
    const scores = floatData([20, 1], 5);
    const labels = labelData([20], 0, 3, 6);
    const wide = labelData([20, 2], 0, 2, 7);
    const bce = new BCE();
    expect(() => bce.call(scores.dev, labels.dev)).toThrow(/BCE: labels \(20,\) must lie in \[0, 1\], found 2/);
    expect(() => bce.call(scores.dev, wide.dev)).toThrow(CostError);
    expect(() => bce.call(scores.dev, wide.dev)).toThrow(/labels \(20, 2\) do not fit scores \(20, 1\)/);
    expect(bce.numOfSamples).toBe(0);
    bce.dispose();
    [scores, labels, wide].forEach((a) => a.dev.dispose());
  });
});
