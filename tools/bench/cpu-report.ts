import { describeCase } from './bench-plan.js';
import { medianOf, type CaseResult, type Failure, type RunnerResult } from './results.js';
import { formatMs, formatRatio, formatTable } from './table.js';

/** Issue 19's goals for the CPU: faster than tfjs-layers on the same backend, within 2x of PyTorch on one thread. */
export const CPU_GOALS = { layersRatio: 1, torchRatio: 2 } as const;

function spread(result: RunnerResult | undefined): string {
  return result ? `${formatMs(result.summary.p10)} to ${formatMs(result.summary.p90)}` : 'n/a';
}

/** "met", "not met", or "n/a" where the peer has no time. */
function goal(ratio: number | null, limit: number): string {
  if (ratio == null) return 'n/a';
  return ratio < limit ? 'met' : 'not met';
}

function ratioOf(own: number | null, peer: number | null): number | null {
  return own == null || peer == null || peer === 0 ? null : own / peer;
}

/**
 * The CPU comparison: Puzzle's tfjs engine against tfjs-layers on the same tfjs backend and, where measured,
 * PyTorch on one thread, with the two goals per case.
 */
export function cpuTable(cases: readonly CaseResult[]): string {
  const header = [
    'case',
    'Puzzle (tfjs)',
    'tfjs-layers',
    'PyTorch, 1 thread',
    'Puzzle/tfjs-layers',
    'Puzzle/PyTorch',
    `goals: < ${CPU_GOALS.layersRatio}x tfjs-layers, < ${CPU_GOALS.torchRatio}x PyTorch`,
    'Puzzle p10 to p90',
  ];
  const rows = cases.map((result) => {
    const [puzzle, layers, torch] = (['puzzle', 'tfjs-layers', 'torch-adam'] as const).map((r) => medianOf(result, r));
    const [vsLayers, vsTorch] = [ratioOf(puzzle ?? null, layers ?? null), ratioOf(puzzle ?? null, torch ?? null)];
    return [
      describeCase(result.spec),
      formatMs(puzzle),
      formatMs(layers),
      formatMs(torch),
      formatRatio(puzzle, layers),
      formatRatio(puzzle, torch),
      `${goal(vsLayers, CPU_GOALS.layersRatio)}, ${goal(vsTorch, CPU_GOALS.torchRatio)}`,
      spread(result.results.find((r) => r.runner === 'puzzle')),
    ];
  });
  return formatTable(header, rows);
}

/** One line per runner that could not measure a case, with its reason. */
export function failureLines(failures: readonly Failure[]): string[] {
  return failures.map((f) => `- ${f.runner}, case (${f.caseId}): ${f.message}`);
}
