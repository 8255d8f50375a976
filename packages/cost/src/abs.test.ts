import { describeEngines, expectClose, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Abs } from './abs.js';
import { CostError } from './cost-error.js';
import { awayFromKinks, expectNegDerivative, floatData, sum } from './test-support/cost-fixtures.js';

describeEngines('Abs', () => {
  it('error, grad and validate match Σ|t − p|/S and sign(t − p)/S', () => {
    const pred = floatData([10, 10], 1);
    const target = floatData([10, 10], 2);
    const abs = new Abs();
    const [error, grad] = abs.call(pred.dev, target.dev);
    const d = pred.f64.map((p, i) => p - target.f64[i]!);
    const ref = sum(d.map(Math.abs)) / 100;
    expectClose([error, abs.validate(pred.dev, target.dev)], [ref, ref], TOLERANCES.float32, 'error and validate');
    expectClose(grad.get().data, d.map((x) => (x > 0 ? -0.01 : 0.01)), TOLERANCES.float32, 'grad');
    abs.dispose();
    [pred, target].forEach((a) => a.dev.dispose());
  });

  it('grad is minus the derivative of the error away from d = 0', () => {
    const pred = floatData([4, 5], 3);
    const target = floatData([4, 5], 4);
    const abs = new Abs();
    const grad = abs.call(pred.dev, target.dev, { queryError: false }).get().data;
    const d = pred.f64.map((p, i) => p - target.f64[i]!);
    const indices = awayFromKinks(d, () => [0], 0.05);
    expect(indices.length).toBeGreaterThan(10);
    expectNegDerivative({ errorAt: (p) => abs.call(p, target.dev)[0], pred: pred.host, grad, indices });
    abs.dispose();
    [pred, target].forEach((a) => a.dev.dispose());
  });

  it('rejects an int32 target', () => {
    const pred = floatData([2, 3], 5);
    const abs = new Abs();
    const labels = pred.dev.astype('int32');
    expect(() => abs.call(pred.dev, labels)).toThrow(CostError);
    expect(() => abs.call(pred.dev, labels)).toThrow(/Abs: target must be float32, got int32 \(2, 3\)/);
    abs.dispose();
    [pred.dev, labels].forEach((a) => a.dispose());
  });
});
