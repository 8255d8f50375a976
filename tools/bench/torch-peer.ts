import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withExplicitPrecisions, type BenchPlan, type CaseId, type MatmulFormat, type MatmulPrecision } from './bench-plan.js';
import { runnerResult, type Failure, type Runner, type RunnerResult } from './results.js';
import { median } from './stats.js';
import { copyBytes, gemmFlops, perSecond } from './work-counts.js';

/** The precision settings torch reported while a case ran: cuBLAS and cuDNN may use TF32 or not. */
interface TorchPrecision {
  readonly setting: MatmulPrecision;
  readonly matmul: MatmulFormat;
  readonly cudnn: MatmulFormat;
}

/** What torch_peer.py writes (see its docstring); samples only, statistics are computed here. */
interface TorchSamples {
  readonly samples_ms: number[];
  readonly errors?: number[];
  readonly precision?: TorchPrecision;
}

export interface TorchOutput {
  readonly version: string;
  readonly cuda: string | null;
  readonly device: string;
  readonly date: string;
  readonly probes: { copy: { elements: number; samples_ms: number[] }; gemm: { size: number; samples_ms: number[] } } | null;
  readonly cases: Partial<Record<CaseId, Partial<Record<Runner, TorchSamples>>>>;
  readonly failures: { case: string; runner: string; message: string }[];
}

export interface TorchRun {
  readonly output: TorchOutput;
  readonly results: Map<CaseId, RunnerResult[]>;
  readonly copyBytesPerSec: number | null;
  readonly gemmFlopsPerSec: number | null;
  readonly failures: Failure[];
}

/** Beside this module when run from the sources; a bundle (.device/bench.mjs) is told the path with --torch-peer. */
export const DEFAULT_TORCH_PEER = fileURLToPath(new URL('./torch_peer.py', import.meta.url));

/** Converts the peer's JSON into the runner's results: one RunnerResult per (case, Adam variant) it measured. */
export function readTorchOutput(output: TorchOutput): TorchRun {
  const results = new Map<CaseId, RunnerResult[]>();
  for (const [id, byRunner] of Object.entries(output.cases) as [CaseId, Partial<Record<Runner, TorchSamples>>][]) {
    results.set(
      id,
      (Object.entries(byRunner) as [Runner, TorchSamples][]).map(([runner, s]) => ({
        ...runnerResult(runner, s.samples_ms, s.errors ?? []),
        ...(s.precision && { matmulFormat: s.precision.matmul }),
      })),
    );
  }
  const probes = output.probes;
  return {
    output,
    results,
    copyBytesPerSec: probes ? perSecond(copyBytes(probes.copy.elements), median(probes.copy.samples_ms)) : null,
    gemmFlopsPerSec: probes ? perSecond(gemmFlops(probes.gemm.size, probes.gemm.size, probes.gemm.size), median(probes.gemm.samples_ms)) : null,
    failures: output.failures.map((f) => ({ caseId: f.case as CaseId, runner: f.runner, message: f.message })),
  };
}

/**
 * Runs torch_peer.py to completion before Puzzle starts, so the two never share the GPU; its progress lines go to
 * our stderr. Throws with the peer's exit status when it writes no result.
 */
export function runTorchPeer(
  plan: BenchPlan,
  opts: { python: string; script: string; device: string; planPath: string; outPath: string },
): TorchRun {
  // Every case names its precision: the default lives on this side only, and torch_peer.py has none of its own.
  writeFileSync(opts.planPath, JSON.stringify(withExplicitPrecisions(plan), null, 1));
  const child = spawnSync(opts.python, [opts.script, '--plan', opts.planPath, '--out', opts.outPath, '--device', opts.device], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (child.error) throw new Error(`could not start ${opts.python}: ${child.error.message}`);
  if (child.status !== 0) throw new Error(`${opts.python} torch_peer.py exited with status ${child.status ?? child.signal}`);
  return readTorchOutput(JSON.parse(readFileSync(opts.outPath, 'utf8')) as TorchOutput);
}
