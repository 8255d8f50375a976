import { describeCase } from './bench-plan.js';
import { medianOf, type CaseResult, type RunnerResult } from './results.js';
import { formatMs, formatRatio, formatTable } from './table.js';

function spread(result: RunnerResult | undefined): string {
  return result ? `${formatMs(result.summary.p10)} to ${formatMs(result.summary.p90)}` : 'n/a';
}

/** The CPU comparison: Puzzle's tfjs engine against tfjs-layers on the same tfjs cpu backend. */
export function cpuTable(cases: readonly CaseResult[]): string {
  const header = ['case', 'Puzzle (tfjs)', 'tfjs-layers', 'Puzzle/tfjs-layers', 'Puzzle p10 to p90', 'tfjs-layers p10 to p90'];
  const rows = cases.map((result) => {
    const [puzzle, layers] = (['puzzle', 'tfjs-layers'] as const).map((r) => medianOf(result, r));
    const find = (runner: string) => result.results.find((r) => r.runner === runner);
    return [
      describeCase(result.spec),
      formatMs(puzzle),
      formatMs(layers),
      formatRatio(puzzle, layers),
      spread(find('puzzle')),
      spread(find('tfjs-layers')),
    ];
  });
  return formatTable(header, rows);
}
