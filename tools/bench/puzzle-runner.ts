import { freeHeld, synchronize } from '@puzzle/backend';
import type { BenchPlan, CaseId, CaseSpec } from './bench-plan.js';
import { copyProbe, gemmProbe, puzzleCase, type BenchCase } from './puzzle-cases.js';
import { runnerResult, type Failure, type RunnerResult } from './results.js';
import { timeSteps, type TimingPlan } from './step-timer.js';
import { copyBytes, gemmFlops, perSecond } from './work-counts.js';
import { median } from './stats.js';

export interface PuzzleRun {
  readonly results: Map<CaseId, RunnerResult>;
  readonly copyBytesPerSec: number | null;
  readonly gemmFlopsPerSec: number | null;
  readonly failures: Failure[];
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** Time one case may take after its warm-up; a slower case runs fewer repeats (at least 3) rather than overrun. */
const CASE_BUDGET_MS = 45_000;

function timeCase(make: () => BenchCase, timing: TimingPlan): { samples: number[]; errors: number[] } {
  const workload = make();
  try {
    const samples = timeSteps((i) => workload.step(i), timing, synchronize, { budgetMs: CASE_BUDGET_MS });
    return { samples, errors: workload.errors };
  } finally {
    workload.dispose();
    freeHeld(); // (d) holds gigabytes; give them back before the next case
  }
}

/**
 * Runs every case of the plan on the active engine. A case that throws is recorded and skipped: on a short GPU
 * lease one missing op must not cost the other measurements.
 */
export function runPuzzle(plan: BenchPlan, log: (line: string) => void): PuzzleRun {
  const run: PuzzleRun = { results: new Map(), copyBytesPerSec: null, gemmFlopsPerSec: null, failures: [] };
  let ceilings: Partial<Pick<PuzzleRun, 'copyBytesPerSec' | 'gemmFlopsPerSec'>> = {};
  if (plan.probes) {
    const probes = plan.probes;
    try {
      const copyMs = median(timeCase(() => copyProbe(probes), probes.timing).samples);
      const gemmMs = median(timeCase(() => gemmProbe(probes), probes.timing).samples);
      const n = probes.gemmSize;
      ceilings = { copyBytesPerSec: perSecond(copyBytes(probes.copyElements), copyMs), gemmFlopsPerSec: perSecond(gemmFlops(n, n, n), gemmMs) };
    } catch (err) {
      run.failures.push({ caseId: 'probes', runner: 'puzzle', message: errorText(err) });
    }
  }
  for (const spec of plan.cases) runOne(spec, plan, run, log);
  return { ...run, ...ceilings };
}

function runOne(spec: CaseSpec, plan: BenchPlan, run: PuzzleRun, log: (line: string) => void): void {
  try {
    const { samples, errors } = timeCase(() => puzzleCase(spec, plan), spec.timing);
    const result = runnerResult('puzzle', samples, errors);
    run.results.set(spec.id, result);
    log(`[puzzle] case ${spec.id} ${result.summary.median.toFixed(4)} ms/step`);
  } catch (err) {
    run.failures.push({ caseId: spec.id, runner: 'puzzle', message: errorText(err) });
    log(`[puzzle] case ${spec.id} failed: ${errorText(err)}`);
  }
}
