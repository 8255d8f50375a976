import { describeEngines, expectClose, TOLERANCES } from '@puzzle/testing';
import { it } from 'vitest';
import { SmoothL1 } from './smooth-l1.js';
import { awayFromKinks, expectNegDerivative, floatData, sum } from './test-support/cost-fixtures.js';

describeEngines('SmoothL1', () => {
  it('error, grad and validate match the mean Huber loss and its descent direction', () => {
    const pred = floatData([10, 10], 1, 1.5);
    const target = floatData([10, 10], 2);
    const cost = new SmoothL1();
    const [error, grad] = cost.call(pred.dev, target.dev);
    const d = pred.f64.map((p, i) => p - target.f64[i]!);
    const ref = sum(d.map((x) => (Math.abs(x) < 1 ? (x * x) / 2 : Math.abs(x) - 0.5))) / 100;
    expectClose([error, cost.validate(pred.dev, target.dev)], [ref, ref], TOLERANCES.float32, 'error and validate');
    // Upstream returns ([|d|≥1]·sign d + [|d|<1]·d)/S, the true gradient; we return its negative.
    const upstream = d.map((x) => (Math.abs(x) >= 1 ? Math.sign(x) : x) / 100);
    expectClose(grad.get().data, upstream.map((g) => -g), TOLERANCES.float32, 'grad');
    cost.dispose();
    [pred, target].forEach((a) => a.dev.dispose());
  });

  it('grad is minus the derivative of the error', () => {
    const pred = floatData([4, 5], 3, 1.5);
    const target = floatData([4, 5], 4);
    const cost = new SmoothL1();
    const grad = cost.call(pred.dev, target.dev, { queryError: false }).get().data;
    const d = pred.f64.map((p, i) => p - target.f64[i]!);
    const indices = awayFromKinks(d, () => [-1, 1], 0.05);
    expectNegDerivative({ errorAt: (p) => cost.call(p, target.dev)[0], pred: pred.host, grad, indices });
    cost.dispose();
    [pred, target].forEach((a) => a.dev.dispose());
  });
});
