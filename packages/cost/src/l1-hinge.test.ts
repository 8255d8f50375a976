import { describeEngines, expectClose, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { L1Hinge } from './l1-hinge.js';
import { awayFromKinks, expectNegDerivative, floatData, labelData } from './test-support/cost-fixtures.js';

describeEngines('L1Hinge', () => {
  it('error, grads and validate match the per-pair formulas', () => {
    const [n, d] = [20, 4];
    const x1 = floatData([n, d], 1);
    const x2 = floatData([n, d], 2);
    const labels = labelData([n], 0, 2, 3);
    const cost = new L1Hinge();
    const [error, [g1, g2]] = cost.call([x1.dev, x2.dev], labels.dev);
    let ref = 0;
    const up1 = x1.f64.map((a, i) => {
      const diff = a - x2.f64[i]!;
      const sign = diff > 0 ? 1 : -1;
      const similar = labels.host[Math.floor(i / d)] === 1;
      ref += (similar ? Math.abs(diff) : Math.max(0, 1 - Math.abs(diff))) / (n * d);
      // Upstream's g1 is the true gradient; the descent direction is its negative.
      return (similar ? sign : Math.abs(diff) < 1 ? -sign : 0) / (n * d);
    });
    expectClose([error], [ref], TOLERANCES.float32, 'error');
    expectClose(g1.get().data, up1.map((g) => -g), TOLERANCES.float32, 'g1');
    expectClose(g2.get().data, up1, TOLERANCES.float32, 'g2');
    let wrong = 0;
    for (let b = 0; b < n; b++) {
      let dist = 0;
      for (let k = 0; k < d; k++) dist += Math.abs(x1.f64[b * d + k]! - x2.f64[b * d + k]!) / d;
      if ((dist <= 1 ? 1 : 0) !== labels.host[b]) wrong++;
    }
    expect(cost.validate([x1.dev, x2.dev], labels.dev)).toBeCloseTo(wrong / n, 12);
    cost.dispose();
    [x1, x2, labels].forEach((a) => a.dev.dispose());
  });

  it('both grads are minus the derivatives of the error', () => {
    const x1 = floatData([4, 3], 4, 0.7);
    const x2 = floatData([4, 3], 5, 0.7);
    const labels = labelData([4], 0, 2, 6);
    const cost = new L1Hinge();
    const [g1, g2] = cost.call([x1.dev, x2.dev], labels.dev, { queryError: false }).map((g) => g.get().data);
    const diff = x1.f64.map((a, i) => a - x2.f64[i]!);
    const indices = awayFromKinks(diff, () => [-1, 0, 1], 0.05);
    expectNegDerivative({ errorAt: (a) => cost.call([a, x2.dev], labels.dev)[0], pred: x1.host, grad: g1!, indices });
    expectNegDerivative({ errorAt: (b) => cost.call([x1.dev, b], labels.dev)[0], pred: x2.host, grad: g2!, indices });
    cost.dispose();
    [x1, x2, labels].forEach((a) => a.dev.dispose());
  });

  it('rejects labels that do not match the pairs and labels out of {0, 1}', () => {
    const x = floatData([5, 3], 7);
    const short = labelData([4], 0, 2, 8);
    const bad = labelData([5], 2, 3, 9);
    const cost = new L1Hinge();
    expect(() => cost.call([x.dev, x.dev], short.dev)).toThrow(/L1Hinge: labels \(4,\) do not match pairs \(5, 3\)/);
    expect(() => cost.call([x.dev, x.dev], bad.dev)).toThrow(/must lie in \[0, 1\], found 2/);
    cost.dispose();
    [x, short, bad].forEach((a) => a.dev.dispose());
  });
});
