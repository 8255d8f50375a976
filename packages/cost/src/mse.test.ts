import { describeEngines, expectClose, expectNonTrivial, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { CostError } from './cost-error.js';
import { MSE } from './mse.js';
import { expectNegDerivative, floatData } from './test-support/cost-fixtures.js';

describeEngines('MSE', () => {
  it('error, grad and validate match Σ(t − p)²/(2S) and (t − p)/S', () => {
    const pred = floatData([10, 10], 1);
    const target = floatData([10, 10], 2);
    const mse = new MSE();
    const [error, grad] = mse.call(pred.dev, target.dev);
    const d = target.f64.map((t, i) => t - pred.f64[i]!);
    const ref = d.reduce((s, x) => s + x * x, 0) / 200;
    expectClose([error, mse.validate(pred.dev, target.dev)], [ref, ref], TOLERANCES.float32, 'error and validate');
    expectClose(grad.get().data, d.map((x) => x / 100), TOLERANCES.float32, 'grad');
    expectNonTrivial(grad.get().data);
    mse.dispose();
    pred.dev.dispose();
    target.dev.dispose();
  });

  it('grad is minus the derivative of the error', () => {
    const pred = floatData([4, 5], 3);
    const target = floatData([4, 5], 4);
    const mse = new MSE();
    const grad = mse.call(pred.dev, target.dev, { queryError: false }).get().data;
    expectNegDerivative({ errorAt: (p) => mse.call(p, target.dev)[0], pred: pred.host, grad });
    mse.dispose();
    pred.dev.dispose();
    target.dev.dispose();
  });

  it('rejects mismatched shapes and dtypes naming both', () => {
    const pred = floatData([4, 5], 5);
    const other = floatData([4, 6], 6);
    const mse = new MSE();
    expect(() => mse.call(pred.dev, other.dev)).toThrow(CostError);
    expect(() => mse.call(pred.dev, other.dev)).toThrow(/MSE: pred \(4, 5\) and target \(4, 6\)/);
    mse.dispose();
    pred.dev.dispose();
    other.dev.dispose();
  });
});
