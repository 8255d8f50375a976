// The CUDA simulator's own self-test (native/sim/test): a C++ program of small kernels that checks the simulator
// computes right, rejects the launches the CUDA runtime rejects, diagnoses divergent barriers, bad shuffle masks and
// out-of-bounds accesses, exposes races through its seed, and that its runtime and cuBLAS behave. It is compiled here
// against the simulator's objects from the native build (npm run build:native), without the Node-API entries, so a
// bug shows up as a named C++ case rather than as a wrong tensor somewhere in the engine tests.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const backendDir = fileURLToPath(new URL('../../../', import.meta.url));
const simDir = join(backendDir, 'native/sim');
const selftestDir = join(simDir, 'test');
const objDir = join(backendDir, 'build/obj-sim');
// The simulator without sim_entries.cc, which needs Node-API: the scheduler, fibers, memory, runtime and cuBLAS.
const simObjects = ['scheduler', 'fiber', 'device_memory', 'runtime', 'cublas_sim', 'fault_handler'].map((name) => join(objDir, `sim_${name}.cc.o`));
const cxx = process.env['CXX'] || 'g++';
// The build's flags (tools/native/build.mjs): the kernels here are optimised as the addon's are, so that a hazard
// of compiling CUDA as C++ (shared memory kept in registers across a barrier, say) shows here as it would there.
const cxxFlags = ['-std=c++17', '-O2', '-Wall', '-Wextra', '-DPUZZLE_CUDA_SIM=1', `-I${join(simDir, 'include')}`];
// The cases written so far. The sources are counted too, so a case added later is required as well, and a case or a
// whole file that goes missing (not compiled, not registered, not run) fails instead of passing silently.
const casesWritten = 58;
// A seed for the shuffled run: any nonzero value orders threads and blocks differently from index order.
const shuffledSeed = '20240611';

function missingPrerequisite(): string | null {
  const absent = simObjects.filter((file) => !existsSync(file));
  if (absent.length > 0) return `simulator objects not built (npm run build:native): ${absent.map((f) => basename(f)).join(', ')}`;
  if (spawnSync(cxx, ['--version'], { stdio: 'ignore' }).status !== 0) return `no C++ compiler (${cxx})`;
  return null;
}

const missing = missingPrerequisite();
const skipNote = missing ? ` (skipped: ${missing})` : '';

interface Compiled {
  source: string;
  object: string;
  /** The compiler's output when the file did not compile. */
  error: string | null;
}

interface SelftestBuild {
  dir: string;
  sources: string[];
  compiled: Compiled[];
  /** The linked program, or null when the runner itself did not compile or the link failed. */
  binary: string | null;
  linkError: string | null;
}

function runCompiler(args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(cxx, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => resolve(error ? `${stdout}${stderr}`.trim() || error.message : null));
  });
}

/** Runs the jobs with at most `limit` at once, keeping their order in the results. */
async function limited<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/**
 * Compiles each file on its own and links the ones that compiled: the cases register themselves, so a topic file that
 * does not compile (a header bug, say) is reported while the other topics still run.
 */
async function buildSelftest(dir: string): Promise<SelftestBuild> {
  const sources = readdirSync(selftestDir)
    .filter((f) => f.endsWith('.cc'))
    .sort()
    .map((f) => join(selftestDir, f));
  const compiled = await limited(
    sources.map((source) => async (): Promise<Compiled> => {
      const object = join(dir, `${basename(source)}.o`);
      return { source, object, error: await runCompiler([...cxxFlags, '-c', source, '-o', object]) };
    }),
    Math.max(1, Math.min(4, availableParallelism())),
  );
  const runner = compiled.find((c) => basename(c.source) === 'selftest.cc');
  if (!runner || runner.error !== null) return { dir, sources, compiled, binary: null, linkError: null };
  const binary = join(dir, 'selftest');
  const objects = compiled.filter((c) => c.error === null).map((c) => c.object);
  const linkError = await runCompiler(['-o', binary, ...objects, ...simObjects, '-ldl', '-lpthread']);
  return { dir, sources, compiled, binary: linkError === null ? binary : null, linkError };
}

/** How many cases the sources define. */
function casesInSources(sources: string[]): number {
  return sources.reduce((count, source) => count + (readFileSync(source, 'utf8').match(/^SELFTEST_CASE\(/gm)?.length ?? 0), 0);
}

interface SelftestRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  okLines: string[];
  failLines: string[];
  /** The summary line, what the simulator printed to stderr (before a crash, say), and any spawn error. */
  diagnostics: string;
}

function runSelftest(binary: string, seed: string): SelftestRun {
  const r = spawnSync(binary, [], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PUZZLE_CUDA_SIM_SEED: seed } });
  const lines = (r.stdout ?? '').split('\n');
  return {
    status: r.status,
    signal: r.signal,
    okLines: lines.filter((l) => l.startsWith('ok ')),
    failLines: lines.filter((l) => l.startsWith('FAIL ')),
    diagnostics: [lines.filter((l) => /^\d+ cases, \d+ failed$/.test(l)).join(''), r.stderr ?? '', r.error?.message ?? ''].filter((s) => s !== '').join('\n'),
  };
}

/**
 * A note when a simulator source or header is newer than the oldest object: the objects are then an older simulator's,
 * and a failure (or a pass) may not be the sources' own.
 */
function staleObjectsNote(): string {
  const oldestObject = Math.min(...simObjects.map((file) => statSync(file).mtimeMs));
  const simSources = [
    ...readdirSync(simDir).filter((f) => f.endsWith('.cc') || f.endsWith('.h')),
    ...readdirSync(join(simDir, 'include'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.h')).map((f) => join('include', f)),
  ];
  const newer = simSources.filter((f) => statSync(join(simDir, f)).mtimeMs > oldestObject);
  return newer.length > 0 ? `the simulator objects are older than native/sim/${newer.join(', native/sim/')}: run npm run build:native` : '';
}

/** Compile errors, cut to their first lines: enough to name the file, the line and the cause. */
function compileProblems(build: SelftestBuild): string[] {
  const cut = (text: string): string => text.split('\n').slice(0, 12).join('\n');
  const problems = build.compiled.filter((c) => c.error !== null).map((c) => `${basename(c.source)} does not compile:\n${cut(c.error!)}`);
  if (build.linkError !== null) problems.push(`the self-test does not link:\n${cut(build.linkError)}`);
  return problems;
}

describe('CUDA simulator self-test (native/sim/test)', () => {
  let build: SelftestBuild | null = null;

  beforeAll(async () => {
    if (missing) return;
    build = await buildSelftest(mkdtempSync(join(tmpdir(), 'puzzle-sim-selftest-')));
  }, 180_000);

  afterAll(() => {
    if (build) rmSync(build.dir, { recursive: true, force: true });
  });

  it.skipIf(missing !== null)(`compiles every file of the self-test and links it with the simulator's objects${skipNote}`, () => {
    expect(compileProblems(build!)).toEqual([]);
    expect(casesInSources(build!.sources)).toBeGreaterThanOrEqual(casesWritten);
  });

  // Index order first (seed 0), then threads and blocks shuffled: the correct kernels must not depend on the order,
  // and the diagnoses must name the problem whichever thread gets there first.
  for (const [order, seed] of [
    ['in index order', '0'],
    [`with threads and blocks shuffled (seed ${shuffledSeed})`, shuffledSeed],
  ] as const) {
    it.skipIf(missing !== null)(`passes every case ${order}${skipNote}`, () => {
      const built = build!;
      if (built.binary === null) expect.fail(`the self-test was not built:\n${compileProblems(built).join('\n')}`);
      const run = runSelftest(built.binary, seed);
      // Soft: the failed cases, the exit status and the count all show at once.
      expect.soft(run.failLines, staleObjectsNote()).toEqual([]);
      expect.soft(run.signal, run.diagnostics).toBeNull();
      expect.soft(run.status, run.diagnostics).toBe(0);
      const required = Math.max(casesWritten, casesInSources(built.sources));
      expect(run.okLines.length, `ok lines for ${required} cases: the rest failed, crashed or never ran`).toBeGreaterThanOrEqual(required);
    });
  }
});
