import { describeEngines, expectClose, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { SVM } from './svm.js';
import { awayFromKinks, expectNegDerivative, floatData, labelData } from './test-support/cost-fixtures.js';

describeEngines('SVM', () => {
  for (const mode of ['l1', 'l2'] as const) {
    it(`${mode}: error, grad and validate on spatial scores (6, 4, 3)`, () => {
      const [n, c, m] = [6, 4, 3];
      const scores = floatData([n, c, m], 1);
      const labels = labelData([n, m], 0, c, 2);
      const svm = new SVM(mode);
      const [error, grad] = svm.call(scores.dev, labels.dev);
      const S = n * c * m;
      let ref = 0;
      const refGrad = scores.f64.map((s, i) => {
        const [b, k, j] = [Math.floor(i / (c * m)), Math.floor(i / m) % c, i % m];
        const cls = labels.host[b * m + j] === k ? 1 : -1;
        const e = Math.max(0, 1 - s * cls);
        ref += (mode === 'l1' ? e : e * e) / S;
        return mode === 'l1' ? (e > 0 ? cls / S : 0) : (2 * cls * e) / S;
      });
      expectClose([error], [ref], TOLERANCES.float32, 'error');
      expectClose(grad.get().data, refGrad, TOLERANCES.float32, 'grad');
      let wrong = 0;
      for (let b = 0; b < n; b++) {
        for (let j = 0; j < m; j++) {
          const col = Array.from({ length: c }, (_, k) => scores.f64[(b * c + k) * m + j]!);
          if (col.indexOf(Math.max(...col)) !== labels.host[b * m + j]) wrong++;
        }
      }
      expect(svm.validate(scores.dev, labels.dev)).toBeCloseTo(wrong / (n * m), 12);
      expect(svm.mostProb!.shape).toEqual([n, m]);
      svm.dispose();
      [scores, labels].forEach((a) => a.dev.dispose());
    });

    it(`${mode}: grad is minus the derivative of the error`, () => {
      const scores = floatData([3, 4, 2], 3, 2);
      const labels = labelData([3, 2], 0, 4, 4);
      const svm = new SVM(mode);
      const grad = svm.call(scores.dev, labels.dev, { queryError: false }).get().data;
      const indices = awayFromKinks(scores.f64, () => [-1, 1], 0.05);
      expectNegDerivative({ errorAt: (s) => svm.call(s, labels.dev)[0], pred: scores.host, grad, indices });
      svm.dispose();
      [scores, labels].forEach((a) => a.dev.dispose());
    });
  }

  it('labels out of range raise CostError', () => {
    const scores = floatData([20, 4], 5);
    const labels = labelData([20], -1, 4, 6);
    const svm = new SVM();
    expect(() => svm.call(scores.dev, labels.dev)).toThrow(/SVM: labels \(20,\) must lie in \[0, 3\], found -1/);
    svm.dispose();
    [scores, labels].forEach((a) => a.dev.dispose());
  });
});
