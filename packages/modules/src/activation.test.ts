import { gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import { checkModuleGradients, describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Activation, type ActivationName } from './activation.js';
import { ModuleError } from './errors.js';

interface Case {
  name: ActivationName;
  args?: number[];
  f: (x: number) => number;
  df: (x: number) => number;
  /** Points where the derivative jumps: test data keeps away from them so finite differences are defined. */
  kinks: number[];
}

const sig = (x: number) => 1 / (1 + Math.exp(-x));
const CASES: Case[] = [
  { name: 'sigmoid', f: sig, df: (x) => sig(x) * (1 - sig(x)), kinks: [] },
  { name: 'tanh', f: Math.tanh, df: (x) => 1 - Math.tanh(x) ** 2, kinks: [] },
  { name: 'relu', f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0), kinks: [0] },
  { name: 'leakyRelu', f: (x) => (x > 0 ? x : 0.01 * x), df: (x) => (x > 0 ? 1 : 0.01), kinks: [0] },
  { name: 'leakyRelu', args: [0.2], f: (x) => (x > 0 ? x : 0.2 * x), df: (x) => (x > 0 ? 1 : 0.2), kinks: [0] },
  { name: 'elu', f: (x) => (x > 0 ? x : Math.exp(x) - 1), df: (x) => (x > 0 ? 1 : Math.exp(x)), kinks: [0] },
  { name: 'elu', args: [0.7], f: (x) => (x > 0 ? x : 0.7 * (Math.exp(x) - 1)), df: (x) => (x > 0 ? 1 : 0.7 * Math.exp(x)), kinks: [0] },
  { name: 'softPlus', f: (x) => Math.log1p(Math.exp(x)), df: sig, kinks: [] },
  { name: 'clip', f: (x) => Math.min(6, Math.max(0, x)), df: (x) => (x > 0 && x < 6 ? 1 : 0), kinks: [0, 6] },
  { name: 'clip', args: [-1, 2], f: (x) => Math.min(2, Math.max(-1, x)), df: (x) => (x > -1 && x < 2 ? 1 : 0), kinks: [-1, 2] },
];

/** Spread-out normal data (some beyond clip's upper bound of 6), moved at least 0.05 away from every kink. */
function awayFromKinks(shape: number[], seed: number, kinks: number[]): { host: HostArray; f64: Float64Array } {
  const { f64 } = randomData(shape, seed, 3);
  for (let i = 0; i < f64.length; i++) {
    for (const k of kinks) if (Math.abs(f64[i]! - k) < 0.05) f64[i] = k + (f64[i]! < k ? -0.1 : 0.1);
  }
  const f32 = Float32Array.from(f64);
  return { host: new HostArray(f32, shape, 'float32'), f64: Float64Array.from(f32) };
}

describeEngines('Activation', () => {
  for (const c of CASES) {
    const label = `${c.name}${c.args ? `(${c.args.join(', ')})` : ''}`;

    it(`${label}: forward and backward against the float64 formula`, () => {
      const x = awayFromKinks([6, 9], 1, c.kinks);
      const g = randomData([6, 9], 2);
      const act = new Activation(c.name, { args: c.args });
      const xd = gpuarray.toGpu(x.host);
      const gd = gpuarray.toGpu(g.host);
      expectClose((act.call(xd) as GPUArray).get().data, x.f64.map(c.f), TOLERANCES.float32, 'output');
      act.backward(gd);
      expectClose((act.grad as GPUArray).get().data, x.f64.map((v, i) => g.f64[i]! * c.df(v)), TOLERANCES.float32, 'input grad');
      act.dispose();
      xd.dispose();
      gd.dispose();
    });

    it(`${label}: backward matches finite differences`, () => {
      checkModuleGradients(new Activation(c.name, { args: c.args }), [awayFromKinks([4, 6], 3, c.kinks).host]);
    });
  }

  it('in place, writes the output over the input and the input grad over the incoming grad', () => {
    const x = randomData([10], 4);
    const g = randomData([10], 5);
    const act = new Activation('tanh', { inplace: true });
    const xd = gpuarray.toGpu(x.host);
    const gd = gpuarray.toGpu(g.host);
    act.call(xd);
    expectClose(xd.get().data, x.f64.map(Math.tanh), TOLERANCES.float32);
    act.backward(gd);
    expectClose(gd.get().data, x.f64.map((v, i) => g.f64[i]! * (1 - Math.tanh(v) ** 2)), TOLERANCES.float32);
    expect((act.grad as GPUArray).sharesStorageWith(gd)).toBe(true);
    act.dispose();
    xd.dispose();
    gd.dispose();
  });

  it('keeps live buffers flat in a loop', () => {
    const act = new Activation('sigmoid');
    const xd = gpuarray.toGpu(randomData([3, 4], 6).host);
    act.call(xd);
    act.backward(xd);
    expectNoLeak(() => {
      for (let i = 0; i < 3; i++) {
        act.call(xd);
        act.backward(xd);
      }
    });
    act.dispose();
    xd.dispose();
  });

  it('rejects unknown kinds, lists and mismatched gradients with typed errors', () => {
    expect(() => new Activation('swish' as ActivationName)).toThrow(ModuleError);
    const act = new Activation('relu', { name: 'r' });
    const xd = gpuarray.zeros([2, 3]);
    expect(() => act.call([xd, xd])).toThrow(/Activation 'r'.*single array/);
    act.call(xd);
    const bad = gpuarray.zeros([3, 2]);
    expect(() => act.backward(bad)).toThrow(/\(3, 2\).*\(2, 3\)/);
    act.dispose();
    xd.dispose();
    bad.dispose();
  });
});
