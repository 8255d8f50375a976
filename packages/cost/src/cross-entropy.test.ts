import { gpuarray, HostArray } from '@puzzle/backend';
import { describeEngines, expectClose, expectNoLeak, softmax64, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { CostError } from './cost-error.js';
import { CrossEntropy } from './cross-entropy.js';
import { expectNegDerivative, floatData, labelData } from './test-support/cost-fixtures.js';

/** Reference error and grad for scores (n, c, m), weights w (1 when absent). */
function reference(scores: Float64Array, labels: Int32Array, [n, c, m]: number[], w?: Float64Array) {
  const p = softmax64(scores, n!, c!, m!);
  const grad = new Float64Array(p.length);
  let error = 0;
  for (let b = 0; b < n!; b++) {
    for (let j = 0; j < m!; j++) {
      const label = labels[b * m! + j]!;
      const wl = w ? w[label]! : 1;
      error -= (wl * Math.log(p[(b * c! + label) * m! + j]!)) / (n! * m!);
      for (let k = 0; k < c!; k++) {
        const i = (b * c! + k) * m! + j;
        grad[i] = (wl * ((k === label ? 1 : 0) - p[i]!)) / (n! * m!);
      }
    }
  }
  return { error, grad };
}

describeEngines('CrossEntropy', () => {
  for (const weighted of [false, true]) {
    it(`error and grad match the softmax cross-entropy over (20, 10, 3)${weighted ? ' with class weights' : ''}`, () => {
      const scores = floatData([20, 10, 3], 1);
      const labels = labelData([20, 3], 0, 10, 2);
      const raw = floatData([10], 3).f64.map(Math.abs);
      const weights = raw.map((x) => x / raw.reduce((s, v) => s + v, 0));
      const ce = new CrossEntropy(weighted ? { weights: Float32Array.from(weights) } : {});
      const [error, grad] = ce.call(scores.dev, labels.dev);
      const ref = reference(scores.f64, labels.host, [20, 10, 3], weighted ? Float64Array.from(Float32Array.from(weights)) : undefined);
      expectClose([error], [ref.error], TOLERANCES.float32, 'error');
      expectClose(grad.get().data, ref.grad, TOLERANCES.float32, 'grad');
      ce.dispose();
      [scores, labels].forEach((a) => a.dev.dispose());
    });
  }

  it('grad is minus the derivative of the error, spatial and weighted', () => {
    const scores = floatData([3, 4, 2], 4);
    const labels = labelData([3, 2], 0, 4, 5);
    const ce = new CrossEntropy({ weights: [0.5, 2, 1, 0.25] });
    const grad = ce.call(scores.dev, labels.dev, { queryError: false }).get().data;
    expectNegDerivative({ errorAt: (s) => ce.call(s, labels.dev)[0], pred: scores.host, grad });
    ce.dispose();
    [scores, labels].forEach((a) => a.dev.dispose());
  });

  it('validate is the fraction of positions whose argmax is not the label, keeping mostProb', () => {
    const rows = [[0.1, 0, 0, -1], [-0.2, 1, 0, 0.5], [0, -1, 2, 1.5], [0, 0, -6, 1]];
    const counts = [150, 150, 300, 400];
    const host = counts.flatMap((n, r) => Array.from({ length: n }, () => rows[r]!));
    const scores = gpuarray.toGpu(HostArray.from(host.flat(), { shape: [1000, 4, 1] }));
    const labelValues = [...Array(100).fill(0), ...Array(200).fill(1), ...Array(300).fill(2), ...Array(400).fill(3)];
    const labels = gpuarray.toGpu(HostArray.from(labelValues, { shape: [1000, 1], dtype: 'int32' }));
    const ce = new CrossEntropy();
    const argmax = host.map((r) => r.indexOf(Math.max(...r)));
    const wrong = argmax.filter((a, i) => a !== labelValues[i]).length;
    expect(ce.validate(scores, labels)).toBeCloseTo(wrong / 1000, 12);
    expect(Array.from(ce.mostProb!.get().data)).toEqual(argmax);
    ce.dispose();
    [scores, labels].forEach((a) => a.dispose());
  });

  it('labels out of range and shape errors raise CostError naming both shapes; nothing leaks', () => {
    const scores = floatData([20, 10], 6);
    const labels = gpuarray.toGpu(HostArray.from([...Array(19).fill(3), 10], { dtype: 'int32' }));
    const spatial = labelData([20, 2], 0, 10, 7);
    const ce = new CrossEntropy({ maxlabels: 10 });
    const twoWeights = new CrossEntropy({ weights: [1, 2] });
    expectNoLeak(() => {
      expect(() => ce.call(scores.dev, labels)).toThrow(/CrossEntropy: labels \(20,\) must lie in \[0, 9\], found 10 \(scores \(20, 10\)\)/);
      expect(() => ce.call(scores.dev, spatial.dev)).toThrow(/labels \(20, 2\) do not fit scores \(20, 10\)/);
      expect(() => new CrossEntropy({ maxlabels: 8 }).validate(scores.dev, labels)).toThrow(CostError);
      expect(() => twoWeights.call(scores.dev, labels)).toThrow(/weights \(2,\) do not match the 10 classes of scores \(20, 10\)/);
    });
    expect(ce.grad).toBeNull();
    expect(() => new CrossEntropy({ weights: HostArray.from([[1, 2]]) })).toThrow(CostError);
    ce.dispose();
    twoWeights.dispose();
    [scores.dev, labels, spatial.dev].forEach((a) => a.dispose());
  });
});
