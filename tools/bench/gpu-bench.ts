/**
 * The GPU benchmark of issue 7, in one call: PyTorch eager first (torch_peer.py, its own process, Adam plain and
 * fused=True), then Puzzle on the cuda engine in this process, over the same cases (a)-(d), (b) also with TF32 and
 * bf16 products, and device probes; then one table with ms per step, the ratios, the card and the date. Full numbers
 * go to --out (default $OUT).
 *
 *   bash tools/bench/run-on-gpu.sh            on the device machine (runs the bundle .device/bench.mjs)
 *   npm run bench                             where node_modules, a GPU and PyTorch are all present
 *   npm run bench -- --quick --engine tfjs --torch-device cpu    a dry run of the plumbing on a CPU
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { getBackend, setBackend, type EngineName } from '@puzzle/backend';
import { checkBenchPlan, DEFAULT_MATMUL_PRECISION, matmulPrecisionOf, withExplicitPrecisions } from './bench-plan.js';
import { gpuReport } from './gpu-report.js';
import { outputDir, writeJson, writeText } from './output-dir.js';
import { gpuPlan, quickPlan } from './plans.js';
import { runPuzzle, type PuzzleRun } from './puzzle-runner.js';
import { bestOf, type CaseResult, type Ceilings, type Failure } from './results.js';
import { DEFAULT_TORCH_PEER, runTorchPeer, type TorchRun } from './torch-peer.js';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string' },
    quick: { type: 'boolean', default: false },
    engine: { type: 'string', default: 'cuda' },
    python: { type: 'string', default: 'python3' },
    'torch-peer': { type: 'string', default: DEFAULT_TORCH_PEER },
    'torch-device': { type: 'string', default: 'cuda' },
    'no-torch': { type: 'boolean', default: false },
  },
});
const dir = outputDir(args.out);
const log = (line: string) => process.stderr.write(`${line}\n`);
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const plan = args.quick ? quickPlan() : gpuPlan();
checkBenchPlan(plan);
const notes: string[] = [];

// Each side is optional: whichever starts is measured and reported, so one failure never costs the other's numbers.
let torch: TorchRun | null = null;
if (!args['no-torch']) {
  try {
    // The plan goes to a scratch file (bench.json keeps it): $OUT brings back at most 8 files.
    const files = { planPath: path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'plan.json'), outPath: path.join(dir, 'torch.json') };
    torch = runTorchPeer(plan, { python: args.python, script: args['torch-peer'], device: args['torch-device'], ...files });
  } catch (err) {
    notes.push(`the PyTorch peer gave no result: ${message(err)}`);
  }
}

let puzzle: PuzzleRun | null = null;
let device = 'none';
try {
  setBackend(args.engine as EngineName);
  device = getBackend().device;
  log(`[puzzle] engine ${args.engine} on ${device}`);
  puzzle = runPuzzle(plan, log);
} catch (err) {
  notes.push(`Puzzle's ${args.engine} engine did not start: ${message(err)}`);
}

const cases: CaseResult[] = plan.cases.map((spec) => {
  const own = puzzle?.results.get(spec.id);
  return { spec, results: [...(own ? [own] : []), ...(torch?.results.get(spec.id) ?? [])] };
});
const ceilings: Ceilings = {
  copyBytesPerSec: bestOf(puzzle?.copyBytesPerSec, torch?.copyBytesPerSec),
  gemmFlopsPerSec: bestOf(puzzle?.gemmFlopsPerSec, torch?.gemmFlopsPerSec),
};
const failures: Failure[] = [...(torch?.failures ?? []), ...(puzzle?.failures ?? [])];
if (torch && puzzle && torch.output.device !== device) notes.push(`PyTorch ran on '${torch.output.device}', Puzzle on '${device}'`);
for (const { spec, results } of cases) {
  for (const r of results) {
    if (r.summary.count < spec.timing.repeats) notes.push(`case ${spec.id} on ${r.runner}: ${r.summary.count} of ${spec.timing.repeats} repeats (time budget)`);
  }
}
if (args.quick) notes.push('--quick: toy sizes and counts, a check of the plumbing; these times mean nothing');
const offGpu = args.engine !== 'cuda' || (torch != null && args['torch-device'] !== 'cuda');
if (offGpu && plan.cases.some((spec) => matmulPrecisionOf(spec) !== DEFAULT_MATMUL_PRECISION)) {
  notes.push('the precision column gives the GPU settings each side ran under; off the GPU they need not hold (the tfjs engine always computes in fp32)');
}
for (const f of failures) notes.push(`case ${f.caseId} on ${f.runner} failed: ${f.message}`);

const meta = {
  date: new Date().toISOString(),
  card: puzzle ? device : (torch?.output.device ?? 'unknown'),
  engine: args.engine,
  peer: torch ? `PyTorch ${torch.output.version} (CUDA ${torch.output.cuda ?? 'none'}) eager, precision per case` : 'none',
  command: process.env['BENCH_COMMAND'] ?? `node ${process.argv.slice(1).join(' ')}`,
};
const report = gpuReport(cases, ceilings, meta, notes);
writeJson(dir, 'bench.json', {
  meta,
  plan: withExplicitPrecisions(plan),
  ceilings,
  puzzleCeilings: puzzle && { copyBytesPerSec: puzzle.copyBytesPerSec, gemmFlopsPerSec: puzzle.gemmFlopsPerSec },
  torchCeilings: torch && { copyBytesPerSec: torch.copyBytesPerSec, gemmFlopsPerSec: torch.gemmFlopsPerSec },
  cases,
  failures,
  notes,
});
writeText(dir, 'report.md', report);
console.log(report);
process.exitCode = failures.length || !torch || !puzzle ? 1 : 0;
