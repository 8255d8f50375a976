import { describeCase, MATMUL_FORMATS, matmulPrecisionOf, type MatmulFormat } from './bench-plan.js';
import { checkGoal } from './goals.js';
import { divergedRunners, medianOf, RUNNER_LABELS, type CaseResult, type Ceilings, type Runner } from './results.js';
import { formatMs, formatNumber, formatPercent, formatRatio, formatTable } from './table.js';
import { adamUpdateBytes, perSecond } from './work-counts.js';

export interface ReportMeta {
  readonly date: string;
  /** The card as the engine names it, e.g. 'NVIDIA H100 80GB HBM3'. */
  readonly card: string;
  readonly engine: string;
  readonly peer: string;
  readonly command: string;
}

function metCell(met: boolean | null): string {
  return met == null ? 'n/a' : met ? 'yes' : 'no';
}

const FRAMEWORKS: Record<Runner, string> = { puzzle: 'Puzzle', 'torch-adam': 'PyTorch', 'torch-adam-fused': 'PyTorch', 'tfjs-layers': 'tfjs-layers' };

/**
 * The format each framework's matrix products ran in for this case, as recorded while it ran: one word when all
 * agree ('TF32'), else per framework ('Puzzle bf16, PyTorch TF32'); the plan's request when nothing was recorded.
 */
export function precisionCell(result: CaseResult): string {
  const used = new Map<string, MatmulFormat>();
  for (const r of result.results) if (r.matmulFormat) used.set(FRAMEWORKS[r.runner], r.matmulFormat);
  const formats = new Set(used.values());
  if (formats.size === 0) return MATMUL_FORMATS[matmulPrecisionOf(result.spec)];
  if (formats.size === 1) return [...formats][0]!;
  return [...used].map(([framework, format]) => `${framework} ${format}`).join(', ');
}

/**
 * A line for each framework whose products ran in another format than the case asked for: PyTorch's CUDA matmuls have
 * no bf16 mode for float32 ('medium' computes as TF32 there), so the bf16 case is Puzzle bf16 against PyTorch TF32.
 */
export function precisionMismatches(result: CaseResult): string[] {
  const asked = MATMUL_FORMATS[matmulPrecisionOf(result.spec)];
  const lines = new Set<string>();
  for (const r of result.results) {
    if (r.matmulFormat && r.matmulFormat !== asked) {
      lines.add(`case ${result.spec.id}: ${FRAMEWORKS[r.runner]} ran its products in ${r.matmulFormat}, not the ${asked} asked for`);
    }
  }
  return [...lines];
}

/** Every case: its precision, ms per step for each runner, Puzzle's time over each PyTorch variant's, and issue 7's goal. */
export function stepTable(cases: readonly CaseResult[], ceilings: Ceilings, engine: string): string {
  const header = ['case', 'precision', `Puzzle (${engine})`, 'PyTorch Adam', 'PyTorch fused Adam', 'Puzzle/Adam', 'Puzzle/fused', 'goal', 'achieved', 'met'];
  const rows = cases.map((result) => {
    const [puzzle, plain, fused] = (['puzzle', 'torch-adam', 'torch-adam-fused'] as const).map((r) => medianOf(result, r));
    const goal = checkGoal(result, ceilings);
    return [
      describeCase(result.spec),
      precisionCell(result),
      formatMs(puzzle),
      formatMs(plain),
      formatMs(fused),
      formatRatio(puzzle, plain),
      formatRatio(puzzle, fused),
      goal?.goal ?? '',
      goal?.achieved ?? '',
      metCell(goal?.met ?? null),
    ];
  });
  return formatTable(header, rows);
}

/** Case (d) as bandwidth: the bytes an fp32 Adam update must move, per second, against the copy ceiling. */
export function adamTable(result: CaseResult, ceilings: Ceilings): string {
  const model = result.spec.model;
  if (model.kind !== 'adam') throw new RangeError(`case ${result.spec.id} is not an Adam-only case`);
  const rows = result.results.map((r) => {
    const bytesPerSec = perSecond(adamUpdateBytes(model.params), r.summary.median);
    const ofCopy = ceilings.copyBytesPerSec == null ? null : bytesPerSec / ceilings.copyBytesPerSec;
    return [RUNNER_LABELS[r.runner], formatMs(r.summary.median), `${formatNumber(bytesPerSec / 1e9)} GB/s`, formatPercent(ofCopy)];
  });
  return formatTable(['runner', 'per update', 'bandwidth', 'of copy'], rows);
}

export function ceilingsLine(ceilings: Ceilings): string {
  const copy = ceilings.copyBytesPerSec == null ? 'n/a' : `${formatNumber(ceilings.copyBytesPerSec / 1e12)} TB/s`;
  const gemm = ceilings.gemmFlopsPerSec == null ? 'n/a' : `${formatNumber(ceilings.gemmFlopsPerSec / 1e12)} TFLOP/s`;
  return `Ceilings measured in this run (best of Puzzle and the peer): device copy ${copy} (read + write), fp32 gemm ${gemm} (TF32 off).`;
}

/** The whole markdown report of one GPU run: header, the step table, the Adam table, ceilings and warnings. */
export function gpuReport(cases: readonly CaseResult[], ceilings: Ceilings, meta: ReportMeta, notes: readonly string[]): string {
  const lines = [
    `Card: ${meta.card}. Date: ${meta.date}. Puzzle engine: ${meta.engine}. Peer: ${meta.peer}.`,
    `Command: ${meta.command}`,
    'Medians of repeated timings after warm-up; ratios are Puzzle time over PyTorch time (below 1: Puzzle is faster).',
    'Precision: what float32 matrix products and convolutions were allowed on the GPU, as each side recorded it while the case ran: fp32, or tensor cores on TF32 or bf16 operands.',
    '',
    stepTable(cases, ceilings, meta.engine),
  ];
  const adamCase = cases.find((c) => c.spec.model.kind === 'adam');
  if (adamCase) lines.push('', adamTable(adamCase, ceilings));
  lines.push('', ceilingsLine(ceilings));
  for (const result of cases) {
    const diverged = divergedRunners(result);
    if (diverged.length) lines.push(`WARNING: case ${result.spec.id}: non-finite error from ${diverged.join(', ')}`);
    for (const mismatch of precisionMismatches(result)) lines.push(`Note: ${mismatch}`);
  }
  for (const note of notes) lines.push(`Note: ${note}`);
  return lines.join('\n');
}
