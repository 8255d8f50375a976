import { gpuarray, HostArray } from '@puzzle/backend';
import { describeEngines, expectClose, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Hinge } from './hinge.js';
import { awayFromKinks, expectNegDerivative, floatData, labelData, sum } from './test-support/cost-fixtures.js';

function plusMinus(shape: number[], seed: number) {
  const bits = labelData(shape, 0, 2, seed);
  const host = bits.host.map((b) => 2 * b - 1);
  bits.dev.dispose();
  return { host, dev: gpuarray.toGpu(new HostArray(host, shape, 'int32')) };
}

describeEngines('Hinge', () => {
  it('error, validate and grad match mean max(0, 1 − s·y) and y/S where s·y < 1', () => {
    const scores = floatData([20, 4], 1);
    const labels = plusMinus([20, 4], 2);
    const hinge = new Hinge();
    const [error, grad] = hinge.call(scores.dev, labels.dev);
    const ref = sum(scores.f64.map((s, i) => Math.max(0, 1 - s * labels.host[i]!))) / 80;
    expectClose([error, hinge.validate(scores.dev, labels.dev)], [ref, ref], TOLERANCES.float32, 'error and validate');
    expectClose(grad.get().data, scores.f64.map((s, i) => (s * labels.host[i]! < 1 ? labels.host[i]! / 80 : 0)), TOLERANCES.float32, 'grad');
    hinge.dispose();
    [scores, labels].forEach((a) => a.dev.dispose());
  });

  it('grad is minus the derivative of the error away from the hinge', () => {
    const scores = floatData([4, 5], 3, 2);
    const labels = plusMinus([4, 5], 4);
    const hinge = new Hinge();
    const grad = hinge.call(scores.dev, labels.dev, { queryError: false }).get().data;
    const indices = awayFromKinks(scores.f64, (i) => [labels.host[i]!], 0.05);
    expectNegDerivative({ errorAt: (s) => hinge.call(s, labels.dev)[0], pred: scores.host, grad, indices });
    hinge.dispose();
    [scores, labels].forEach((a) => a.dev.dispose());
  });

  it('labels outside [−1, 1] raise CostError', () => {
    const scores = floatData([2, 2], 5);
    const labels = gpuarray.toGpu(HostArray.from([[1, -1], [2, 1]], { dtype: 'int32' }));
    const hinge = new Hinge();
    expect(() => hinge.call(scores.dev, labels)).toThrow(/Hinge: labels \(2, 2\) must lie in \[-1, 1\], found 2/);
    hinge.dispose();
    [scores.dev, labels].forEach((a) => a.dispose());
  });
});
