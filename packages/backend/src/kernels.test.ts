import { describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES, uniformData } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { BackendError, gpuarray, kernels, type ActivationKind } from './index.js';

const erf = (x: number): number => {
  // Abramowitz-Stegun 7.1.26 is too coarse for a reference; integrate the series instead.
  let sum = 0;
  let term = x;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
};

type Case = { fn: ActivationKind; a?: number; b?: number; f: (x: number) => number; d: (g: number, y: number, x: number) => number };

const cases: Case[] = [
  { fn: 'sigmoid', f: (x) => 1 / (1 + Math.exp(-x)), d: (g, y) => g * y * (1 - y) },
  { fn: 'tanh', f: Math.tanh, d: (g, y) => g * (1 - y * y) },
  { fn: 'relu', f: (x) => (x > 0 ? x : 0), d: (g, y) => (y > 0 ? g : 0) },
  { fn: 'leakyRelu', a: 0.1, f: (x) => (x > 0 ? x : 0.1 * x), d: (g, y) => (y > 0 ? g : 0.1 * g) },
  { fn: 'elu', a: 0.7, f: (x) => (x > 0 ? x : 0.7 * (Math.exp(x) - 1)), d: (g, y) => (y > 0 ? g : g * (y + 0.7)) },
  { fn: 'softPlus', f: (x) => Math.log1p(Math.exp(x)), d: (g, y) => g * (1 - Math.exp(-y)) },
  { fn: 'clip', a: -0.5, b: 0.8, f: (x) => Math.min(0.8, Math.max(-0.5, x)), d: (g, y) => (y > -0.5 && y < 0.8 ? g : 0) },
  {
    fn: 'gelu',
    f: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
    // The true derivative (port decision 2), taking the forward input.
    d: (g, _y, x) => g * (0.5 * (1 + erf(x / Math.SQRT2)) + (x / Math.sqrt(2 * Math.PI)) * Math.exp(-0.5 * x * x)),
  },
];

describeEngines('kernels', () => {
  for (const c of cases) {
    it(`${c.fn} forward and derivative match float64`, () => {
      expectNoLeak(() => {
        const x = randomData([7, 9], 1, 1.5);
        const g = randomData([7, 9], 2);
        const X = gpuarray.toGpu(x.host);
        const G = gpuarray.toGpu(g.host);
        const Y = kernels.activation(c.fn, X, { a: c.a, b: c.b });
        const yRef = x.f64.map(c.f);
        expectClose(Y.get().data, yRef, TOLERANCES.float32);
        const dx = kernels.activationGrad(c.fn, G, c.fn === 'gelu' ? X : Y, { a: c.a, b: c.b });
        const yF32 = Y.get().data;
        expectClose(dx.get().data, g.f64.map((gv, i) => c.d(gv, yF32[i]!, x.f64[i]!)), TOLERANCES.float32);
        for (const a of [X, G, Y, dx]) a.dispose();
      });
    });
  }

  it('linear, add, mul and abs match float64, in place too', () => {
    const x = randomData([40], 3);
    const y = randomData([40], 4);
    const X = gpuarray.toGpu(x.host);
    const Y = gpuarray.toGpu(y.host);
    const lin = kernels.linear(X, 1.5, -0.25);
    expectClose(lin.get().data, x.f64.map((v) => 1.5 * v - 0.25), TOLERANCES.float32);
    const sum = kernels.add(X, 2, Y, -3);
    expectClose(sum.get().data, x.f64.map((v, i) => 2 * v - 3 * y.f64[i]!), TOLERANCES.float32);
    const prod = kernels.mul(X, Y);
    expectClose(prod.get().data, x.f64.map((v, i) => v * y.f64[i]!), TOLERANCES.float32);
    const abs = kernels.abs(X);
    expectClose(abs.get().data, x.f64.map(Math.abs), TOLERANCES.float32);
    kernels.mul(X, Y, X);
    expectClose(X.get().data, x.f64.map((v, i) => v * y.f64[i]!), TOLERANCES.float32);
    for (const a of [X, Y, lin, sum, prod, abs]) a.dispose();
  });

  it('dropout keeps elements whose draw is below p and rescales them; Dropout2D shares draws per map', () => {
    const x = randomData([4, 6], 5);
    const u = uniformData([4, 6], 6, 0, 1);
    const X = gpuarray.toGpu(x.host);
    const U = gpuarray.toGpu(u.host);
    const out = kernels.dropout(X, U, 0.6);
    expectClose(out.get().data, x.f64.map((v, i) => (u.f64[i]! < 0.6 ? v / 0.6 : 0)), TOLERANCES.float32);
    const perMap = uniformData([4], 7, 0, 1);
    const PM = gpuarray.toGpu(perMap.host);
    const out2 = kernels.dropout(X, PM, 0.5, { mapsize: 6 });
    expectClose(out2.get().data, x.f64.map((v, i) => (perMap.f64[Math.floor(i / 6)]! < 0.5 ? v / 0.5 : 0)), TOLERANCES.float32);
    expect(() => kernels.dropout(X, PM, 0.5)).toThrow(/needs 24 float32 draws, got 4/);
    expect(() => kernels.dropout(X, U, 0)).toThrow(BackendError);
    for (const a of [X, U, out, PM, out2]) a.dispose();
  });

  it('weightDecay and l1Penalty follow the neg-grad convention', () => {
    const g = randomData([30], 8);
    const p = randomData([30], 9);
    p.host.data[3] = 0;
    p.f64[3] = 0;
    const G = gpuarray.toGpu(g.host);
    const P = gpuarray.toGpu(p.host);
    const pen = kernels.l1Penalty(G, P, 0.3);
    expectClose(pen.get().data, g.f64.map((v, i) => v - 0.3 * (p.f64[i]! >= 0 ? 1 : -1)), TOLERANCES.float32);
    kernels.weightDecay(G, P, 0.01);
    expectClose(G.get().data, g.f64.map((v, i) => v - 0.01 * p.f64[i]!), TOLERANCES.float32);
    for (const a of [G, P, pen]) a.dispose();
  });

  it('random fills are seeded and have the requested moments', () => {
    const a = gpuarray.empty([20000]);
    const b = gpuarray.empty([20000]);
    kernels.fillUniform(a, -1, 3, 42);
    kernels.fillUniform(b, -1, 3, 42);
    expect(Array.from(a.get().data)).toEqual(Array.from(b.get().data));
    const vals = a.get().toFloat32();
    expect(Math.min(...vals)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...vals)).toBeLessThan(3);
    expect(vals.reduce((s, v) => s + v, 0) / vals.length).toBeCloseTo(1, 1);
    kernels.fillNormal(a, 2, 0.5, 7);
    const n = a.get().toFloat32();
    const mean = n.reduce((s, v) => s + v, 0) / n.length;
    const std = Math.sqrt(n.reduce((s, v) => s + (v - mean) ** 2, 0) / n.length);
    expect(mean).toBeCloseTo(2, 1);
    expect(std).toBeCloseTo(0.5, 1);
    a.dispose();
    b.dispose();
  });

  it('rejects int32 inputs and size mismatches', () => {
    const i = gpuarray.zeros([4], 'int32');
    const f = gpuarray.zeros([5]);
    expect(() => kernels.activation('relu', i)).toThrow(/float arrays, got int32/);
    expect(() => kernels.mul(f, gpuarray.zeros([4]))).toThrow(/size mismatch/);
    i.dispose();
    f.dispose();
  });
});
