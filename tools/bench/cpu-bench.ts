/**
 * `npm run bench:cpu`: on this machine's CPU, Puzzle's tfjs engine against plain tfjs-layers on the same tfjs backend
 * and, where a python3 with torch is found, PyTorch on one thread (tools/bench/torch_cpu_peer.py), training cases
 * (a), (b) scaled down and (c) with the same nets, batch, loss and Adam. The runners are timed repeat by repeat in
 * alternation, so that other load on a shared machine falls on all of them alike. Prints a table and writes the
 * full numbers to out/bench/cpu.json and cpu.md (or --out DIR).
 *
 *   npm run bench:cpu [-- --out DIR] [-- --no-torch]    PUZZLE_BENCH_PYTHON=/path/to/python3 picks the interpreter
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { freeHeld, getBackend, setBackend, synchronize } from '@puzzle/backend';
import { checkBenchPlan, type BenchPlan, type CaseSpec } from './bench-plan.js';
import { cpuTable, failureLines } from './cpu-report.js';
import { outputDir, writeJson, writeText } from './output-dir.js';
import { cpuPlan } from './plans.js';
import { puzzleCase } from './puzzle-cases.js';
import { runnerResult, type CaseResult, type Failure, type Runner } from './results.js';
import { timeInterleaved, type TimedRunner } from './step-timer.js';
import { layersWorkload } from './tfjs-layers-peer.js';
import { findTorchPython, startTorchCpuPeer, type TorchCpuPeer } from './torch-cpu-runner.js';

const { values: args } = parseArgs({ options: { out: { type: 'string' }, 'no-torch': { type: 'boolean', default: false } } });
const dir = outputDir(args.out);
const log = (line: string) => process.stderr.write(`${line}\n`);
const plan = cpuPlan();
checkBenchPlan(plan);
setBackend('tfjs');
// The device reads 'tfjs:wasm' or 'tfjs:wasm (2 threads)': tfjs-layers must find the same backend name active.
const tfjsBackend = getBackend().device.replace(/^tfjs:/, '').replace(/ \(.*\)$/, '');

/** One side of a case: how to time it, what errors it read, how to release it. */
interface Side {
  runner: Runner;
  timed: TimedRunner;
  errors(): Promise<readonly number[]> | readonly number[];
  dispose(): void;
}

async function startTorch(): Promise<TorchCpuPeer | null> {
  if (args['no-torch']) return null;
  const found = findTorchPython();
  if (!('python' in found)) {
    log(`[bench] PyTorch column skipped: no python3 that imports torch (tried ${found.tried.join(', ')})`);
    return null;
  }
  log(`[bench] PyTorch ${found.version} from ${found.python}, one thread`);
  return startTorchCpuPeer(found.python);
}

/** The peers of a case that can run it; a peer that cannot (a missing kernel, say) becomes a failure line. */
async function peerSides(spec: CaseSpec, p: BenchPlan, torch: TorchCpuPeer | null, failures: Failure[]): Promise<Side[]> {
  const sides: Side[] = [];
  let layers: ReturnType<typeof layersWorkload> | null = null;
  try {
    layers = layersWorkload(spec, p, tfjsBackend);
    await layers.step(0); // one untimed step: a kernel the backend lacks fails here
    const ready = layers;
    sides.push({ runner: 'tfjs-layers', timed: { step: (i) => ready.step(i), sync: () => {} }, errors: () => ready.errors, dispose: () => ready.dispose() });
  } catch (err) {
    layers?.dispose();
    failures.push({ caseId: spec.id, runner: 'tfjs-layers', message: (err as Error).message });
  }
  if (torch) {
    try {
      const remote = await torch.runner(spec, p);
      sides.push({ runner: 'torch-adam', timed: remote, errors: () => remote.errors(), dispose: () => {} });
    } catch (err) {
      failures.push({ caseId: spec.id, runner: 'torch-adam', message: (err as Error).message });
    }
  }
  return sides;
}

async function compare(spec: CaseSpec, torch: TorchCpuPeer | null, failures: Failure[]): Promise<CaseResult> {
  const puzzle = puzzleCase(spec, plan);
  const sides: Side[] = [
    { runner: 'puzzle', timed: { step: (i) => puzzle.step(i), sync: synchronize }, errors: () => puzzle.errors, dispose: () => puzzle.dispose() },
    ...(await peerSides(spec, plan, torch, failures)),
  ];
  try {
    const samples = await timeInterleaved(
      sides.map((s) => s.timed),
      spec.timing,
    );
    const results = await Promise.all(sides.map(async (s, i) => runnerResult(s.runner, samples[i]!, await s.errors())));
    for (const r of results) log(`[${r.runner}] case ${spec.id} ${r.summary.median.toFixed(3)} ms/step`);
    return { spec, results };
  } finally {
    for (const s of sides) s.dispose();
    freeHeld();
  }
}

const torch = await startTorch();
const loadBefore = os.loadavg()[0]!;
const failures: Failure[] = [];
const cases: CaseResult[] = [];
try {
  for (const spec of plan.cases) cases.push(await compare(spec, torch, failures));
} finally {
  torch?.close();
}

const date = new Date().toISOString();
const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`;
// The load average says how much else ran: on a shared 2-core machine it decides how noisy the medians are.
const load = `load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after`;
const peers = `tfjs-layers on the same tfjs backend; ${torch ? `PyTorch ${torch.version}, one thread` : 'PyTorch not measured'}`;
const report = [
  `Machine: ${machine}; ${load}. Engine: ${getBackend().device}. Peers: ${peers}. Date: ${date}.`,
  'Medians after warm-up, the runners alternating repeat by repeat; ratios are Puzzle time over the peer time (below 1: Puzzle is faster).',
  '',
  cpuTable(cases),
  ...(failures.length ? ['', 'Not measured:', ...failureLines(failures)] : []),
].join('\n');
writeJson(dir, 'cpu.json', { date, machine, load, engine: getBackend(), torch: torch?.version ?? null, plan, cases, failures });
writeText(dir, 'cpu.md', report);
console.log(report);
