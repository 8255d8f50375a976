import { describe, expect, it } from 'vitest';
import { checkBenchPlan, describeCase, matmulPrecisionOf, withExplicitPrecisions, type BenchPlan, type CaseId } from './bench-plan.js';
import { cpuPlan, gpuPlan, quickPlan } from './plans.js';

describe('benchmark plans', () => {
  it('are consistent: bias flags per layer, whole numbers of error reads per repeat', () => {
    for (const plan of [gpuPlan(), quickPlan(), cpuPlan()]) expect(() => checkBenchPlan(plan)).not.toThrow();
  });

  it('keep the sizes issue 7 names for the GPU run', () => {
    const models = Object.fromEntries(gpuPlan().cases.map((c) => [c.id, c.model]));
    expect(models['a']).toEqual({ kind: 'mlp', batch: 16, sizes: [128, 64, 32, 16], bias: [false, false, true] });
    expect(models['b']).toMatchObject({ batch: 4096, sizes: [1024, 1024, 512, 16] });
    expect(models['c']).toEqual({ kind: 'lenet', batch: 128 });
    expect(models['d']).toEqual({ kind: 'adam', params: 100_000_000 });
  });

  it('time case (b) again with TF32 and bf16 products, alike in all else', () => {
    for (const plan of [gpuPlan(), quickPlan()]) {
      const byId = new Map(plan.cases.map((c) => [c.id, c]));
      for (const [id, precision] of [['b-tf32', 'high'], ['b-bf16', 'medium']] as const) {
        expect(byId.get(id)).toEqual({ ...byId.get('b'), id, title: expect.any(String), matmulPrecision: precision });
      }
    }
    const precisions = Object.fromEntries(gpuPlan().cases.map((c) => [c.id, matmulPrecisionOf(c)]));
    expect(precisions).toEqual({ a: 'highest', b: 'highest', 'b-tf32': 'high', 'b-bf16': 'medium', c: 'highest', d: 'highest' });
  });

  it('keep the CPU comparison in fp32, with (a) and (c) at the sizes issue 7 names', () => {
    const cases = cpuPlan().cases;
    expect(cases.map(matmulPrecisionOf)).toEqual(['highest', 'highest', 'highest']);
    const models = Object.fromEntries(cases.map((c) => [c.id, c.model]));
    expect(models).toMatchObject({ a: gpuPlan().cases[0]!.model, c: { kind: 'lenet', batch: 128 } });
  });

  it('reject a plan whose repeats would hold different numbers of error reads', () => {
    const plan: BenchPlan = quickPlan();
    const broken = { ...plan, cases: [{ ...plan.cases[0]!, timing: { warmupSteps: 5, repeats: 2, stepsPerRepeat: 7 } }] };
    expect(() => checkBenchPlan(broken)).toThrow(RangeError);
  });

  it('survive a JSON round trip, which is how torch_peer.py receives them', () => {
    const plan = gpuPlan();
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });
});

describe('describeCase', () => {
  const gpuCase = (id: CaseId) => gpuPlan().cases.find((c) => c.id === id)!;

  it('reads the sizes off the model, so scaled plans say what they ran', () => {
    expect(describeCase(gpuCase('a'))).toBe('(a) trainSimpleTest net: MLP 128-64-32-16, batch 16, MSE');
    expect(describeCase(gpuCase('c'))).toBe('(c) LeNet on MNIST-shaped data: batch 128 of 1x28x28, CrossEntropy');
    expect(describeCase(gpuCase('d'))).toBe('(d) Adam update alone: 100M parameters');
    expect(describeCase(quickPlan().cases[1]!)).toBe('(b) large MLP: MLP 64-64-32-16, batch 64, MSE');
    expect(describeCase(gpuCase('b'))).toContain('batch 4096');
  });

  it('names the tensor-core variants of (b) by their precision', () => {
    expect(describeCase(gpuCase('b-tf32'))).toBe('(b-tf32) large MLP, TF32: MLP 1024-1024-512-16, batch 4096, MSE');
    expect(describeCase(gpuCase('b-bf16'))).toBe('(b-bf16) large MLP, bf16: MLP 1024-1024-512-16, batch 4096, MSE');
  });
});

describe('withExplicitPrecisions', () => {
  it('names every case\'s matmul precision in the JSON torch_peer.py reads, which has no default of its own', () => {
    for (const plan of [gpuPlan(), quickPlan()]) {
      const sent = JSON.parse(JSON.stringify(withExplicitPrecisions(plan))) as BenchPlan;
      expect(sent.cases.map((c) => c.matmulPrecision)).toEqual(plan.cases.map(matmulPrecisionOf));
      expect(sent.cases.map((c) => ({ ...c, matmulPrecision: undefined }))).toEqual(plan.cases.map((c) => ({ ...c, matmulPrecision: undefined })));
    }
    const sent = Object.fromEntries(withExplicitPrecisions(gpuPlan()).cases.map((c) => [c.id, c.matmulPrecision]));
    expect(sent).toMatchObject({ b: 'highest', 'b-tf32': 'high', 'b-bf16': 'medium' });
  });

  it('leaves the plan it was given alone', () => {
    const plan = gpuPlan();
    withExplicitPrecisions(plan);
    expect(plan.cases.find((c) => c.id === 'b')).not.toHaveProperty('matmulPrecision');
  });
});
