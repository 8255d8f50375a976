/**
 * `npm run bench:cpu`: on this machine's CPU, Puzzle's tfjs engine against plain tfjs-layers training the same MLPs
 * (case a, and case b scaled down) with the same batch, MSE and Adam, on one tfjs cpu backend. The two are timed
 * repeat by repeat in alternation, so that other load on a shared machine falls on both alike. Prints a table and
 * writes the full numbers to out/bench/cpu.json and cpu.md (or --out DIR).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { freeHeld, getBackend, setBackend, synchronize } from '@puzzle/backend';
import { checkBenchPlan, type CaseSpec } from './bench-plan.js';
import { cpuTable } from './cpu-report.js';
import { outputDir, writeJson, writeText } from './output-dir.js';
import { cpuPlan } from './plans.js';
import { puzzleCase } from './puzzle-cases.js';
import { runnerResult, type CaseResult } from './results.js';
import { timeInterleaved } from './step-timer.js';
import { layersWorkload } from './tfjs-layers-peer.js';

const { values: args } = parseArgs({ options: { out: { type: 'string' } } });
const dir = outputDir(args.out);
const log = (line: string) => process.stderr.write(`${line}\n`);
const plan = cpuPlan();
checkBenchPlan(plan);
setBackend('tfjs');

async function compare(spec: CaseSpec): Promise<CaseResult> {
  const puzzle = puzzleCase(spec, plan);
  const layers = layersWorkload(spec, plan);
  try {
    const [own, peer] = await timeInterleaved(
      [
        { step: (i) => puzzle.step(i), sync: synchronize },
        { step: (i) => layers.step(i), sync: () => {} },
      ],
      spec.timing,
    );
    const results = [runnerResult('puzzle', own!, puzzle.errors), runnerResult('tfjs-layers', peer!, layers.errors)];
    for (const r of results) log(`[${r.runner}] case ${spec.id} ${r.summary.median.toFixed(3)} ms/step`);
    return { spec, results };
  } finally {
    puzzle.dispose();
    layers.dispose();
    freeHeld();
  }
}

const loadBefore = os.loadavg()[0]!;
const cases: CaseResult[] = [];
for (const spec of plan.cases) cases.push(await compare(spec));

const date = new Date().toISOString();
const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`;
// The load average says how much else ran: on a shared 2-core machine it decides how noisy the medians are.
const load = `load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0]!.toFixed(1)} after`;
const report = [
  `Machine: ${machine}; ${load}. Engine: ${getBackend().device}. Date: ${date}.`,
  'Medians after warm-up, the two runners alternating repeat by repeat; ratio is Puzzle time over tfjs-layers time (below 1: Puzzle is faster).',
  '',
  cpuTable(cases),
].join('\n');
writeJson(dir, 'cpu.json', { date, machine, load, engine: getBackend(), plan, cases });
writeText(dir, 'cpu.md', report);
console.log(report);
