import { describeEngines, expectClose, expectNoLeak, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Abs } from './abs.js';
import { CostError } from './cost-error.js';
import { MSE } from './mse.js';
import { Multi } from './multi.js';
import { floatData, sum } from './test-support/cost-fixtures.js';

describeEngines('Multi', () => {
  it('lists the errors, grads and validation values of its members in order', () => {
    const pred = floatData([10, 10], 1);
    const target = floatData([10, 10], 2);
    const d = target.f64.map((t, i) => t - pred.f64[i]!);
    const mse = sum(d.map((x) => x * x)) / 200;
    const abs = sum(d.map(Math.abs)) / 100;
    const multi = new Multi().append(new MSE()).append(new Abs());
    for (let i = 0; i < 2; i++) {
      const [errors, grads] = multi.call([pred.dev, pred.dev], [target.dev, target.dev]);
      expectClose(errors, [mse, abs], TOLERANCES.float32, 'errors');
      expect(grads).toEqual([multi.costs[0]!.grad, multi.costs[1]!.grad]);
    }
    expectClose(multi.getMeanError(), [mse, abs], TOLERANCES.float32, 'mean errors');
    const reversed = new Multi().append(new Abs()).append(new MSE());
    expectClose(reversed.validate([pred.dev, pred.dev], [target.dev, target.dev]), [abs, mse], TOLERANCES.float32, 'validate');
    multi.dispose();
    reversed.dispose();
    [pred, target].forEach((a) => a.dev.dispose());
  });

  it('checks every member before computing anything, and leaks nothing', () => {
    const pred = floatData([4, 4], 3);
    const other = floatData([4, 5], 4);
    const multi = new Multi().append(new MSE()).append(new Abs());
    expectNoLeak(() => {
      expect(() => multi.call([pred.dev, pred.dev], [pred.dev, other.dev])).toThrow(/Abs: pred \(4, 4\) and target \(4, 5\)/);
      expect(() => multi.call([pred.dev], [pred.dev])).toThrow(CostError);
    });
    expect(multi.costs[0]!.numOfSamples).toBe(0);
    expectNoLeak(() => {
      multi.call([pred.dev, pred.dev], [pred.dev, pred.dev]);
      multi.call([pred.dev, pred.dev], [pred.dev, pred.dev]);
      multi.dispose();
    });
    [pred, other].forEach((a) => a.dev.dispose());
  });
});
