import { describeEngines, expectClose, expectNoLeak, expectNonTrivial, randomData, softmax64, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import * as CostKernels from './cost-kernels.js';
import { BackendError } from './errors.js';
import { GPUArray } from './gpuarray/gpu-array.js';
import { toGpu, zeros } from './gpuarray/gpuarray.js';
import { HostArray } from './host-array.js';
import { Rng } from './random.js';

const tol = TOLERANCES.float32;
const sum = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0);
const sign = (x: number) => (x > 0 ? 1 : -1);

function randomLabels(shape: number[], low: number, high: number, seed: number): { dev: GPUArray; host: Int32Array } {
  const rng = new Rng(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const host = Int32Array.from({ length: n }, () => low + Math.floor(rng.uniform() * (high - low)));
  return { dev: toGpu(new HostArray(host, shape, 'int32')), host };
}

function float(shape: number[], seed: number, scale = 1): { dev: GPUArray; host: Float64Array } {
  const d = randomData(shape, seed, scale);
  return { dev: toGpu(d.host), host: d.f64 };
}

function disposeAll(...arrays: GPUArray[]): void {
  arrays.forEach((a) => a.dispose());
}

/** A scale that is not 1, so that a kernel ignoring it fails. */
const SCALE = 0.37;

/** Runs one kernel into a fresh accumulator; `error` is its summed error (the slot divided by the scale). */
function measured<G>(run: (into: CostKernels.ErrorTarget) => G): { error: number; grad: G } {
  const errors = new CostKernels.ErrorAccumulator();
  try {
    const grad = run({ errors, scale: SCALE });
    const { last, total } = errors.read();
    expect(total).toBe(last);
    return { error: last / SCALE, grad };
  } finally {
    errors.dispose();
  }
}

describeEngines('CostKernels', () => {
  it('mse, abs and smoothL1 match their float64 formulas', () => {
    const pred = float([6, 7], 1, 1.5);
    const target = float([6, 7], 2);
    const norm = 1 / 42;
    const d = pred.host.map((p, i) => p - target.host[i]!);
    const q = measured((into) => CostKernels.mse(pred.dev, target.dev, norm, into));
    expectClose([q.error], [sum(d.map((x) => (x * x) / 2))], tol, 'mse error');
    expectClose(q.grad.get().data, d.map((x) => -norm * x), tol, 'mse grad');
    const a = measured((into) => CostKernels.abs(pred.dev, target.dev, norm, into));
    expectClose([a.error], [sum(d.map(Math.abs))], tol, 'abs error');
    expectClose(a.grad.get().data, d.map((x) => (x > 0 ? -norm : norm)), tol, 'abs grad');
    const s = measured((into) => CostKernels.smoothL1(pred.dev, target.dev, norm, into));
    const huber = d.map((x) => (Math.abs(x) < 1 ? (x * x) / 2 : Math.abs(x) - 0.5));
    expectClose([s.error], [sum(huber)], tol, 'smoothL1 error');
    expectClose(s.grad.get().data, d.map((x) => -norm * (Math.abs(x) < 1 ? x : sign(x))), tol, 'smoothL1 grad');
    expectNonTrivial(s.grad.get().data, 'smoothL1 grad');
    disposeAll(pred.dev, target.dev, q.grad, a.grad, s.grad);
  });

  it('bce and hinge match their float64 formulas', () => {
    const scores = float([20, 1, 4, 4], 3, 2);
    const labels = randomLabels([20, 4, 4], 0, 2, 4);
    const norm = 1 / 320;
    const b = measured((into) => CostKernels.bce(scores.dev, labels.dev, norm, into));
    const sigm = scores.host.map((s) => 1 / (1 + Math.exp(-s)));
    const bceErr = sigm.map((p, i) => (labels.host[i] === 1 ? -Math.log(p) : -Math.log(1 - p)));
    expectClose([b.error], [sum(bceErr)], tol, 'bce error');
    expectClose(b.grad.get().data, sigm.map((p, i) => norm * (labels.host[i]! - p)), tol, 'bce grad');
    const pm = randomLabels([20, 4], 0, 2, 5);
    const pmHost = pm.host.map((y) => 2 * y - 1);
    const pmDev = toGpu(new HostArray(pmHost, [20, 4], 'int32'));
    const hs = float([20, 4], 6);
    const h = measured((into) => CostKernels.hinge(hs.dev, pmDev, 1 / 80, into));
    expectClose([h.error], [sum(hs.host.map((s, i) => Math.max(0, 1 - s * pmHost[i]!)))], tol, 'hinge error');
    expectClose(h.grad.get().data, hs.host.map((s, i) => (s * pmHost[i]! < 1 ? pmHost[i]! / 80 : 0)), tol, 'hinge grad');
    disposeAll(scores.dev, labels.dev, b.grad, pm.dev, pmDev, hs.dev, h.grad);
  });

  it('l1Hinge gives opposite grads for the pair and its per-row error', () => {
    const x1 = float([20, 4], 7);
    const x2 = float([20, 4], 8);
    const labels = randomLabels([20], 0, 2, 9);
    const norm = 1 / 80;
    const { error, grad: grads } = measured((into) => CostKernels.l1Hinge(x1.dev, x2.dev, labels.dev, norm, into));
    const d = x1.host.map((v, i) => v - x2.host[i]!);
    const similar = (i: number) => labels.host[Math.floor(i / 4)] === 1;
    const err = d.map((v, i) => (similar(i) ? Math.abs(v) : Math.max(0, 1 - Math.abs(v))));
    const g1 = d.map((v, i) => (similar(i) ? -sign(v) : Math.abs(v) < 1 ? sign(v) : 0) * norm);
    expectClose([error], [sum(err)], tol, 'l1Hinge error');
    expectClose(grads[0].get().data, g1, tol, 'g1');
    expectClose(grads[1].get().data, g1.map((g) => -g), tol, 'g2');
    disposeAll(x1.dev, x2.dev, labels.dev, ...grads);
  });

  for (const weighted of [false, true]) {
    it(`crossEntropy over spatial positions${weighted ? ' with class weights' : ''}`, () => {
      const [n, c, m] = [5, 6, 3];
      const scores = float([n, c, m], 10, 2);
      const labels = randomLabels([n, m], 0, c, 11);
      const w = float([c], 12);
      const weights = w.host.map(Math.abs);
      const wDev = toGpu(HostArray.from(weights));
      const norm = 1 / (n * m);
      const r = measured((into) => CostKernels.crossEntropy(scores.dev, labels.dev, into, { gradNorm: norm, weights: weighted ? wDev : null }));
      const p = softmax64(scores.host, n, c, m);
      const grad = new Float64Array(n * c * m);
      let err = 0;
      for (let b = 0; b < n; b++) {
        for (let j = 0; j < m; j++) {
          const label = labels.host[b * m + j]!;
          const wl = weighted ? weights[label]! : 1;
          err -= wl * Math.log(p[(b * c + label) * m + j]!);
          for (let k = 0; k < c; k++) grad[(b * c + k) * m + j] = norm * wl * ((k === label ? 1 : 0) - p[(b * c + k) * m + j]!);
        }
      }
      expectClose([r.error], [err], tol, 'cross-entropy error');
      expectClose(r.grad.get().data, grad, tol, 'cross-entropy grad');
      disposeAll(scores.dev, labels.dev, w.dev, wDev, r.grad);
    });
  }

  for (const mode of ['l1', 'l2'] as const) {
    it(`svm ${mode} over spatial positions`, () => {
      const [n, c, m] = [6, 4, 2];
      const scores = float([n, c, m], 13);
      const labels = randomLabels([n, m], 0, c, 14);
      const norm = 1 / (n * c * m);
      const r = measured((into) => CostKernels.svm(scores.dev, labels.dev, into, { mode, gradNorm: norm }));
      const grad = new Float64Array(n * c * m);
      let err = 0;
      scores.host.forEach((s, i) => {
        const [b, k, j] = [Math.floor(i / (c * m)), Math.floor(i / m) % c, i % m];
        const cls = labels.host[b * m + j] === k ? 1 : -1;
        const e = Math.max(0, 1 - s * cls);
        err += mode === 'l1' ? e : e * e;
        grad[i] = norm * (mode === 'l1' ? (e > 0 ? cls : 0) : 2 * cls * e);
      });
      expectClose([r.error], [err], tol, 'svm error');
      expectClose(r.grad.get().data, grad, tol, 'svm grad');
      disposeAll(scores.dev, labels.dev, r.grad);
    });
  }

  for (const normTarget of [true, false]) {
    it(`klDivergence (normTarget ${normTarget})`, () => {
      const [n, c] = [5, 8];
      const pred = float([n, c], 15);
      const raw = float([n, c], 16);
      // Without normalisation the target is used as given, negative entries included.
      const y = normTarget ? softmax64(raw.host, n, c, 1) : raw.host;
      const x = softmax64(pred.host, n, c, 1);
      const r = measured((into) => CostKernels.klDivergence(pred.dev, raw.dev, into, { normTarget, gradNorm: 1 / n }));
      let err = 0;
      const grad = new Float64Array(n * c);
      for (let b = 0; b < n; b++) {
        let mass = 0;
        for (let k = 0; k < c; k++) mass += Math.max(0, y[b * c + k]!);
        for (let k = 0; k < c; k++) {
          const i = b * c + k;
          const yp = Math.max(0, y[i]!);
          if (yp > 0) err += yp * (Math.log(yp) - Math.log(x[i]!));
          grad[i] = (yp - x[i]! * mass) / n;
        }
      }
      expectClose([r.error], [err], tol, 'kl error');
      expectClose(r.grad.get().data, grad, tol, 'kl grad');
      disposeAll(pred.dev, raw.dev, r.grad);
    });
  }

  it('counts label and threshold mismatches and finds the label range', () => {
    const a = randomLabels([50], 0, 3, 17);
    const b = randomLabels([50], 0, 3, 18);
    expect(CostKernels.labelMismatch(a.dev, b.dev)).toBe(a.host.filter((v, i) => v !== b.host[i]).length);
    const v = float([50], 19, 2);
    const bits = randomLabels([50], 0, 2, 20);
    const above = v.host.filter((s, i) => s > 0.5 !== (bits.host[i] === 1)).length;
    const atMost = v.host.filter((s, i) => s <= 0.5 !== (bits.host[i] === 1)).length;
    expect(CostKernels.thresholdMismatch(v.dev, bits.dev, 0.5)).toBe(above);
    expect(CostKernels.thresholdMismatch(v.dev, bits.dev, 0.5, true)).toBe(atMost);
    const wide = randomLabels([40], -7, 9, 21);
    expect(CostKernels.labelRange(wide.dev)).toEqual({ min: Math.min(...wide.host), max: Math.max(...wide.host) });
    disposeAll(a.dev, b.dev, v.dev, bits.dev, wide.dev);
  });

  it('rejects bad shapes and dtypes with BackendError naming both, and leaks nothing', () => {
    const scores = zeros([4, 3]);
    const labels = zeros([5], 'int32');
    const floatLabels = zeros([4]);
    const transposed = zeros([3, 4]);
    const errors = new CostKernels.ErrorAccumulator();
    const into = { errors, scale: 1 };
    expectNoLeak(() => {
      expect(() => CostKernels.crossEntropy(scores, labels, into, { gradNorm: 1 })).toThrow(/crossEntropy.*\(5,\).*\(4, 3\)/);
      expect(() => CostKernels.svm(scores, floatLabels, into, { mode: 'l1', gradNorm: 1 })).toThrow(/labels must be int32/);
      expect(() => CostKernels.abs(scores, transposed, 1, into)).toThrow(BackendError);
      expect(() => CostKernels.bce(scores, labels, 1, into)).toThrow(/\(4, 3\) vs \(5,\)/);
      expect(() => CostKernels.mse(scores, scores, 1, { errors, scale: Number.NaN })).toThrow(/mse: error scale must be finite, got NaN/);
    });
    expect(errors.read()).toEqual({ last: 0, total: 0 });
    errors.dispose();
    expect(() => errors.read()).toThrow(/ErrorAccumulator.read: the accumulator was disposed/);
    disposeAll(scores, labels, floatLabels, transposed);
  });

  it('accumulates scaled errors on the device until they are read, and resets the total alone', () => {
    const errors = new CostKernels.ErrorAccumulator();
    expect(errors.read()).toEqual({ last: 0, total: 0 });
    const pred = float([5, 3], 22, 2);
    const target = float([5, 3], 23);
    const d2 = sum(pred.host.map((p, i) => ((p - target.host[i]!) ** 2) / 2));
    const d1 = sum(pred.host.map((p, i) => Math.abs(p - target.host[i]!)));
    const grads = [
      CostKernels.mse(pred.dev, target.dev, 1, { errors, scale: 0.5 }),
      CostKernels.abs(pred.dev, target.dev, 1, { errors, scale: 3 }),
    ];
    let read = errors.read();
    expectClose([read.last, read.total], [3 * d1, 0.5 * d2 + 3 * d1], tol, 'after two kernels');
    errors.resetTotal();
    read = errors.read();
    expectClose([read.last, read.total], [3 * d1, 0], tol, 'after resetTotal');
    grads.push(CostKernels.mse(pred.dev, target.dev, 1, { errors }));
    read = errors.read();
    expectClose([read.last, read.total], [d2, d2], tol, 'default scale 1');
    disposeAll(pred.dev, target.dev, errors.slots, ...grads);
  });
});
