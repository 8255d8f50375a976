import { describe, expect, it } from 'vitest';
import { checkBenchPlan, describeCase, type BenchPlan } from './bench-plan.js';
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
  it('reads the sizes off the model, so scaled plans say what they ran', () => {
    const [a, b, c, d] = gpuPlan().cases;
    expect(describeCase(a!)).toBe('(a) trainSimpleTest net: MLP 128-64-32-16, batch 16, MSE');
    expect(describeCase(c!)).toBe('(c) LeNet on MNIST-shaped data: batch 128 of 1x28x28, CrossEntropy');
    expect(describeCase(d!)).toBe('(d) Adam update alone: 100M parameters');
    expect(describeCase(quickPlan().cases[1]!)).toBe('(b) large MLP: MLP 64-64-32-16, batch 64, MSE');
    expect(describeCase(b!)).toContain('batch 4096');
  });
});
