import { getFloat32MatmulPrecision, setFloat32MatmulPrecision } from '@puzzle/backend';
import { describeEngines } from '@puzzle/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { BenchPlan, CaseSpec } from './bench-plan.js';
import { quickPlan } from './plans.js';
import { atMatmulPrecision, runPuzzle } from './puzzle-runner.js';

// The setting is process-wide: every test leaves it as the file found it.
const initial = getFloat32MatmulPrecision();
afterEach(() => setFloat32MatmulPrecision(initial));

describe('atMatmulPrecision', () => {
  it('runs the body at the precision asked for and puts back the one found, even when the body throws', () => {
    setFloat32MatmulPrecision('medium');
    expect(atMatmulPrecision('high', () => getFloat32MatmulPrecision())).toBe('high');
    expect(getFloat32MatmulPrecision()).toBe('medium');
    expect(() =>
      atMatmulPrecision('highest', () => {
        throw new Error('a case that fails');
      }),
    ).toThrow('a case that fails');
    expect(getFloat32MatmulPrecision()).toBe('medium');
  });
});

/** Case (b) and its tensor-core variants at toy sizes, one short repeat each, and a case that fails at TF32. */
function precisionPlan(): BenchPlan {
  const quick = quickPlan();
  const timing = { warmupSteps: 5, repeats: 1, stepsPerRepeat: 5 };
  const variants = quick.cases.filter((c) => c.id.startsWith('b')).map((c) => ({ ...c, timing }));
  // A negative batch fails while the net is built, after the precision was set.
  const failing: CaseSpec = { ...variants[1]!, id: 'c', model: { kind: 'lenet', batch: -1 } };
  return { ...quick, probes: null, cases: [...variants, failing] };
}

describeEngines('runPuzzle', () => {
  it('runs each case at its precision, records it, and leaves the setting as found when a case fails', () => {
    setFloat32MatmulPrecision('medium');
    const run = runPuzzle(precisionPlan(), () => {});
    const formats = Object.fromEntries([...run.results].map(([id, r]) => [id, r.matmulFormat]));
    expect(formats).toEqual({ b: 'fp32', 'b-tf32': 'TF32', 'b-bf16': 'bf16' });
    expect(run.failures.map((f) => f.caseId)).toEqual(['c']);
    expect(getFloat32MatmulPrecision()).toBe('medium');
  });
});
