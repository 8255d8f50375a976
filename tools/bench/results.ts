import type { CaseId, CaseSpec, MatmulFormat } from './bench-plan.js';
import { summarize, type Summary } from './stats.js';

/** Who ran a case: Puzzle on an engine, or a peer framework the way its users would write the same loop. */
export type Runner = 'puzzle' | 'torch-adam' | 'torch-adam-fused' | 'tfjs-layers';

export const RUNNER_LABELS: Record<Runner, string> = {
  puzzle: 'Puzzle',
  'torch-adam': 'PyTorch (Adam)',
  'torch-adam-fused': 'PyTorch (Adam fused=True)',
  'tfjs-layers': 'tfjs-layers',
};

export interface RunnerResult {
  readonly runner: Runner;
  /** One per timed repeat, in ms per step. */
  readonly samplesMs: readonly number[];
  readonly summary: Summary;
  /** The errors the loop read (every `errorEvery` steps): a benchmark of a diverging net measures nothing. */
  readonly errors: readonly number[];
  /**
   * What the runner's GPU matrix products were allowed to round float32 operands to, read back from its framework
   * while the case ran; absent where it was not recorded (the CPU comparison).
   */
  readonly matmulFormat?: MatmulFormat;
}

/** A case a runner could not measure (a missing op, an unsupported option): reported, never fatal. */
export interface Failure {
  readonly caseId: CaseId | 'probes';
  readonly runner: string;
  readonly message: string;
}

export interface CaseResult {
  readonly spec: CaseSpec;
  readonly results: readonly RunnerResult[];
}

/** Measured in the same call; null when a side could not measure it. */
export interface Ceilings {
  /** Device-to-device copy, bytes read plus written per second. */
  readonly copyBytesPerSec: number | null;
  /** fp32 matrix product (TF32 off), flops per second. */
  readonly gemmFlopsPerSec: number | null;
}

export function runnerResult(runner: Runner, samplesMs: readonly number[], errors: readonly number[] = []): RunnerResult {
  return { runner, samplesMs, summary: summarize(samplesMs), errors };
}

export function medianOf(result: CaseResult, runner: Runner): number | null {
  return result.results.find((r) => r.runner === runner)?.summary.median ?? null;
}

/** The larger of two optional measurements of one ceiling: the device can do at least that much. */
export function bestOf(...values: (number | null | undefined)[]): number | null {
  const known = values.filter((v): v is number => v != null && Number.isFinite(v) && v > 0);
  return known.length ? Math.max(...known) : null;
}

/** Errors must be finite: a NaN loss means the timed steps computed garbage. */
export function divergedRunners(result: CaseResult): Runner[] {
  return result.results.filter((r) => r.errors.some((e) => !Number.isFinite(e))).map((r) => r.runner);
}
