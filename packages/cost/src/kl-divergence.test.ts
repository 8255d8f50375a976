import { describeEngines, expectClose, softmax64, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { KLDivergence } from './kl-divergence.js';
import { expectNegDerivative, floatData } from './test-support/cost-fixtures.js';

describeEngines('KLDivergence', () => {
  it('normTarget: error, validate and grad match Σ y(log y − log x)/N and (y − x)/N', () => {
    const pred = floatData([10, 10], 1);
    const target = floatData([10, 10], 2);
    const kl = new KLDivergence({ normTarget: true });
    const [error, grad] = kl.call(pred.dev, target.dev);
    const x = softmax64(pred.f64, 10, 10, 1);
    const y = softmax64(target.f64, 10, 10, 1);
    const ref = y.reduce((s, v, i) => s + v * (Math.log(v) - Math.log(x[i]!)), 0) / 10;
    expectClose([error, kl.validate(pred.dev, target.dev)], [ref, ref], TOLERANCES.float32, 'error and validate');
    expectClose(grad.get().data, y.map((v, i) => (v - x[i]!) / 10), TOLERANCES.float32, 'grad');
    kl.dispose();
    [pred, target].forEach((a) => a.dev.dispose());
  });

  for (const normTarget of [true, false]) {
    it(`grad is minus the derivative of the error (normTarget ${normTarget}, target used as given)`, () => {
      const pred = floatData([3, 2, 3], 3);
      // Unnormalised targets with negative entries: only y > 0 contributes, and the grad must still be exact.
      const target = floatData([3, 2, 3], 4);
      const kl = new KLDivergence({ normTarget });
      const grad = kl.call(pred.dev, target.dev, { queryError: false }).get().data;
      expectNegDerivative({ errorAt: (p) => kl.call(p, target.dev)[0], pred: pred.host, grad });
      kl.dispose();
      [pred, target].forEach((a) => a.dev.dispose());
    });
  }

  it('rejects a shape mismatch and a wrong maxlabels', () => {
    const pred = floatData([4, 5], 5);
    const target = floatData([4, 6], 6);
    expect(() => new KLDivergence().call(pred.dev, target.dev)).toThrow(/KLDivergence: pred \(4, 5\) and target \(4, 6\)/);
    expect(() => new KLDivergence({ maxlabels: 6 }).call(pred.dev, pred.dev)).toThrow(/maxlabels 6/);
    [pred, target].forEach((a) => a.dev.dispose());
  });
});
