// Every elementwise kernel on every engine against the formulas of spec §1.9 evaluated in float64 (gelu's backward
// is the true derivative), in float32 and float16, plus the seeded random fills.
import { describeEngines, expectClose, expectNoLeak, tolFor } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { gpuarray, HostArray, kernels, Rng, type ActivationKind, type DType, type GPUArray } from '../../index.js';

const FLOATS: DType[] = ['float32', 'float16'];
const N = 4099; // not a multiple of a block, and several blocks

function data(seed: number, dtype: DType, scale = 2, shift = 0, n = N): { dev: GPUArray; f64: Float64Array } {
  const rng = new Rng(seed);
  const host = HostArray.from(
    Array.from({ length: n }, () => shift + scale * rng.normal()),
    { dtype },
  );
  return { dev: gpuarray.toGpu(host), f64: Float64Array.from(host.toFloat32()) };
}

function values(a: GPUArray): Float64Array {
  return Float64Array.from(a.get().toFloat32());
}

/** erf by Abramowitz-Stegun 7.1.26 refined with a series: enough for 1e-7 relative accuracy in the tests. */
function erf(x: number): number {
  if (Math.abs(x) < 2) {
    // Maclaurin series converges quickly here.
    let term = x;
    let sum = x;
    for (let n = 1; n < 60; n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction for erfc in the tails.
  const z = Math.abs(x);
  let f = 0;
  for (let k = 60; k >= 1; k--) f = (k / 2) / (z + f);
  const erfc = Math.exp(-z * z) / Math.sqrt(Math.PI) / (z + f);
  return Math.sign(x) * (1 - erfc);
}

interface Activation {
  fn: ActivationKind;
  a?: number;
  b?: number;
  forward: (x: number) => number;
  /** Derivative times g, from the forward output y (from the input x for gelu). */
  backward: (g: number, y: number) => number;
}

const ACTIVATIONS: Activation[] = [
  { fn: 'sigmoid', forward: (x) => 1 / (1 + Math.exp(-x)), backward: (g, y) => g * y * (1 - y) },
  { fn: 'tanh', forward: Math.tanh, backward: (g, y) => g * (1 - y * y) },
  { fn: 'relu', forward: (x) => (x > 0 ? x : 0), backward: (g, y) => (y > 0 ? g : 0) },
  { fn: 'leakyRelu', a: 0.01, forward: (x) => (x > 0 ? x : 0.01 * x), backward: (g, y) => (y > 0 ? g : 0.01 * g) },
  { fn: 'elu', a: 0.7, forward: (x) => (x > 0 ? x : 0.7 * Math.expm1(x)), backward: (g, y) => (y > 0 ? g : g * (y + 0.7)) },
  { fn: 'softPlus', forward: (x) => Math.log1p(Math.exp(x)), backward: (g, y) => g * (1 - Math.exp(-y)) },
  { fn: 'clip', a: -0.5, b: 1.25, forward: (x) => Math.min(1.25, Math.max(-0.5, x)), backward: (g, y) => (y > -0.5 && y < 1.25 ? g : 0) },
  {
    fn: 'gelu',
    forward: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
    backward: (g, x) => g * (0.5 * (1 + erf(x / Math.SQRT2)) + (x / Math.sqrt(2 * Math.PI)) * Math.exp(-0.5 * x * x)),
  },
];

describeEngines('engine elementwise kernels', () => {
  for (const dtype of FLOATS) {
    const tol = tolFor(dtype);
    for (const act of ACTIVATIONS) {
      it(`${act.fn} forward and backward in ${dtype}`, () => {
        expectNoLeak(() => {
          const opts = { a: act.a, b: act.b };
          const x = data(1, dtype);
          const y = kernels.activation(act.fn, x.dev, opts);
          expectClose(values(y), x.f64.map(act.forward), tol, 'forward');
          const g = data(2, dtype);
          // The backward takes the forward output as the device holds it (the input for gelu).
          const yHeld = act.fn === 'gelu' ? x.f64 : values(y);
          const yArg = act.fn === 'gelu' ? x.dev : y;
          const dx = kernels.activationGrad(act.fn, g.dev, yArg, opts);
          expectClose(values(dx), g.f64.map((gv, i) => act.backward(gv, yHeld[i]!)), tol, 'backward');
          // In place: out aliasing the input.
          kernels.activation(act.fn, x.dev, { ...opts, out: x.dev });
          expectClose(values(x.dev), values(y), { rtol: 0, atol: 0 }, 'in place');
          for (const t of [x.dev, y, g.dev, dx]) t.dispose();
        });
      });
    }

    it(`linear, add, mul and abs in ${dtype}`, () => {
      expectNoLeak(() => {
        const x = data(3, dtype);
        const y = data(4, dtype);
        const checks: [GPUArray, Float64Array, string][] = [
          [kernels.linear(x.dev, -1.5, 0.25), x.f64.map((v) => -1.5 * v + 0.25), 'linear'],
          [kernels.add(x.dev, 0.5, y.dev, -2), x.f64.map((v, i) => 0.5 * v - 2 * y.f64[i]!), 'add'],
          [kernels.mul(x.dev, y.dev), x.f64.map((v, i) => v * y.f64[i]!), 'mul'],
          [kernels.abs(x.dev), x.f64.map(Math.abs), 'abs'],
        ];
        for (const [out, ref, what] of checks) {
          expectClose(values(out), ref, tol, what);
          out.dispose();
        }
        x.dev.dispose();
        y.dev.dispose();
      });
    });

    for (const mapsize of [1, 7]) {
      it(`dropout in ${dtype} with ${mapsize} element(s) per draw`, () => {
        expectNoLeak(() => {
          const n = 7 * 601;
          const x = data(5, dtype, 2, 0, n);
          const u = HostArray.rand([n / mapsize], { seed: 6 });
          const uniform = gpuarray.toGpu(u);
          const p = 0.7;
          const out = kernels.dropout(x.dev, uniform, p, { mapsize });
          const ref = x.f64.map((v, i) => (u.data[Math.floor(i / mapsize)]! < p ? v / p : 0));
          expectClose(values(out), ref, tol);
          for (const t of [x.dev, uniform, out]) t.dispose();
        });
      });
    }

    it(`weightDecay and l1Penalty in ${dtype}, sign(0) = +1`, () => {
      expectNoLeak(() => {
        const grad = data(7, dtype);
        const param = data(8, dtype);
        const withZeros = HostArray.from(
          Array.from(param.f64, (v, i) => (i % 5 === 0 ? 0 : v)),
          { dtype },
        );
        const d = gpuarray.toGpu(withZeros);
        const dv = withZeros.toFloat32();
        const penalised = kernels.l1Penalty(grad.dev, d, 0.1);
        expectClose(values(penalised), grad.f64.map((g, i) => g - 0.1 * (dv[i]! >= 0 ? 1 : -1)), tol, 'l1Penalty');
        kernels.weightDecay(grad.dev, param.dev, 0.05);
        expectClose(values(grad.dev), grad.f64.map((g, i) => g - 0.05 * param.f64[i]!), tol, 'weightDecay');
        for (const t of [grad.dev, param.dev, d, penalised]) t.dispose();
      });
    });
  }

  it('fills uniform samples in [low, high), reproducibly from a seed', () => {
    expectNoLeak(() => {
      const n = 100_003;
      const a = kernels.fillUniform(gpuarray.empty([n]), -1, 3, 1234);
      const v = values(a);
      expect(v.every((x) => x >= -1 && x < 3)).toBe(true);
      const mean = v.reduce((s, x) => s + x, 0) / n;
      const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
      expect(Math.abs(mean - 1)).toBeLessThan(0.02);
      expect(Math.abs(variance - 16 / 12)).toBeLessThan(0.03);
      const again = kernels.fillUniform(gpuarray.empty([n]), -1, 3, 1234);
      expect(Array.from(values(again))).toEqual(Array.from(v));
      const other = kernels.fillUniform(gpuarray.empty([n]), -1, 3, 4321);
      expect(Array.from(values(other))).not.toEqual(Array.from(v));
      for (const t of [a, again, other]) t.dispose();
    });
  });

  it('fills normal samples with the requested mean and standard deviation', () => {
    expectNoLeak(() => {
      for (const n of [100_003, 5]) {
        const a = kernels.fillNormal(gpuarray.empty([n]), 1, 0.1, 99);
        const v = values(a);
        expect(v.every(Number.isFinite)).toBe(true);
        if (n > 1000) {
          const mean = v.reduce((s, x) => s + x, 0) / n;
          const std = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
          expect(Math.abs(mean - 1)).toBeLessThan(0.002);
          expect(Math.abs(std - 0.1)).toBeLessThan(0.002);
          const beyond3 = v.filter((x) => Math.abs(x - 1) > 0.3).length / n;
          expect(beyond3).toBeLessThan(0.005);
        }
        a.dispose();
      }
    });
  });
});
