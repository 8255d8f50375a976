import { freeHeld, getFloat32MatmulPrecision, setFloat32MatmulPrecision, synchronize } from '@puzzle/backend';
import {
  DEFAULT_MATMUL_PRECISION,
  MATMUL_FORMATS,
  matmulPrecisionOf,
  type BenchPlan,
  type CaseId,
  type CaseSpec,
  type MatmulPrecision,
  type ProbeSpec,
} from './bench-plan.js';
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

type DeviceCeilings = Pick<PuzzleRun, 'copyBytesPerSec' | 'gemmFlopsPerSec'>;

function measureCeilings(probes: ProbeSpec): DeviceCeilings {
  const copyMs = median(timeCase(() => copyProbe(probes), probes.timing).samples);
  const gemmMs = median(timeCase(() => gemmProbe(probes), probes.timing).samples);
  const n = probes.gemmSize;
  return { copyBytesPerSec: perSecond(copyBytes(probes.copyElements), copyMs), gemmFlopsPerSec: perSecond(gemmFlops(n, n, n), gemmMs) };
}

/**
 * Runs `body` with float32 matrix products at `precision`, then puts back the setting found, even when `body` throws:
 * the cases are alike but for their precision, and one must not leak into the next.
 */
export function atMatmulPrecision<T>(precision: MatmulPrecision, body: () => T): T {
  const previous = getFloat32MatmulPrecision();
  setFloat32MatmulPrecision(precision);
  try {
    return body();
  } finally {
    setFloat32MatmulPrecision(previous);
  }
}

/**
 * Runs every case of the plan on the active engine. A case that throws is recorded and skipped: on a short GPU
 * lease one missing op must not cost the other measurements.
 */
export function runPuzzle(plan: BenchPlan, log: (line: string) => void): PuzzleRun {
  const run: PuzzleRun = { results: new Map(), copyBytesPerSec: null, gemmFlopsPerSec: null, failures: [] };
  let ceilings: Partial<DeviceCeilings> = {};
  if (plan.probes) {
    const probes = plan.probes;
    try {
      // The gemm ceiling is fp32 whatever the process was started with (PUZZLE_FLOAT32_MATMUL_PRECISION).
      ceilings = atMatmulPrecision(DEFAULT_MATMUL_PRECISION, () => measureCeilings(probes));
    } catch (err) {
      run.failures.push({ caseId: 'probes', runner: 'puzzle', message: errorText(err) });
    }
  }
  for (const spec of plan.cases) runOne(spec, plan, run, log);
  return { ...run, ...ceilings };
}

function runOne(spec: CaseSpec, plan: BenchPlan, run: PuzzleRun, log: (line: string) => void): void {
  try {
    const result = atMatmulPrecision(matmulPrecisionOf(spec), () => {
      const { samples, errors } = timeCase(() => puzzleCase(spec, plan), spec.timing);
      // Read back rather than copied from the spec: the record says what the engine was told while the case ran.
      return { ...runnerResult('puzzle', samples, errors), matmulFormat: MATMUL_FORMATS[getFloat32MatmulPrecision()] };
    });
    run.results.set(spec.id, result);
    log(`[puzzle] case ${spec.id} ${result.summary.median.toFixed(4)} ms/step (${result.matmulFormat} products)`);
  } catch (err) {
    run.failures.push({ caseId: spec.id, runner: 'puzzle', message: errorText(err) });
    log(`[puzzle] case ${spec.id} failed: ${errorText(err)}`);
  }
}
