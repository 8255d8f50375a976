// Builds the cuda engine's two Node-API addons from the same sources (node-gyp 13 needs Node 22, so the compilers are
// called directly):
//   packages/backend/build/puzzle_cuda.node      the real one: kernels by nvcc, host code by the C++ compiler; without
//                                                nvcc it prints one line and is skipped (the tfjs engine still works);
//   packages/backend/build/puzzle_cuda_sim.node  the CUDA simulator (native/sim): the same kernels and entries
//                                                compiled as C++ by the host compiler alone, run on the CPU.
// Any compile or link error fails the build.
//
// Incremental: an object is rebuilt when its source, any native header or the build flags changed; an addon is
// relinked when an object is newer. Two compiler processes at most run at once (the build machine has 2 cores).
//
// Where nvcc is installed but no NVIDIA driver (libcuda.so.1), the real addon could not run here: it is skipped in a
// second, with one line, unless PUZZLE_NATIVE_CUDA=1 asks for it (to carry it to a GPU machine, or to check that it
// compiles). While objects compile, a progress line comes every PUZZLE_NATIVE_PROGRESS_SECONDS (10).
//
// Environment: PUZZLE_NVCC (nvcc to use; a path that does not exist means "no nvcc"), PUZZLE_NATIVE_CUDA (1: build
// the cuda addon even without a driver, 0: never), CXX (host compiler, g++), NODE_INCLUDE_DIR (directory holding
// node_api.h), PUZZLE_NATIVE_JOBS (parallel compiles, default min(2, cores)), PUZZLE_NATIVE_SIM=0 (skip the
// simulator), PUZZLE_NATIVE_SIM_DEBUG=1 (simulator with -O0 -g, for a debugger), PUZZLE_NATIVE_BUILD_DIR (instead
// of packages/backend/build).
import { spawn, spawnSync } from 'node:child_process';
import { clearInterval, setInterval } from 'node:timers';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const started = Date.now();
const root = fileURLToPath(new URL('../..', import.meta.url));
const nativeDir = path.join(root, 'packages/backend/native');
const simDir = path.join(nativeDir, 'sim');
const buildDir = process.env['PUZZLE_NATIVE_BUILD_DIR'] || path.join(root, 'packages/backend/build');

// Real GPU code for every architecture we support, plus PTX of the newest so later GPUs can JIT it.
const ARCHS = ['75', '80', '86', '89', '90'];
const PTX_ARCH = '90';

function log(line) {
  console.log(`[puzzle] ${line}`);
}

function seconds() {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}

function runsOk(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

/** nvcc from PUZZLE_NVCC, PATH, or the default toolkit location; null when there is none. */
function findNvcc() {
  const requested = process.env['PUZZLE_NVCC'];
  if (requested) return runsOk(requested, ['--version']) ? requested : null;
  for (const candidate of ['nvcc', '/usr/local/cuda/bin/nvcc']) {
    if (runsOk(candidate, ['--version'])) return candidate;
  }
  return null;
}

/** Whether the NVIDIA driver's library is installed: in ldconfig's cache, LD_LIBRARY_PATH or the usual folders. */
function driverInstalled() {
  const cache = spawnSync('ldconfig', ['-p'], { encoding: 'utf8' });
  if (cache.status === 0 && /\blibcuda\.so\.1\b/.test(cache.stdout)) return true;
  const dirs = [...(process.env['LD_LIBRARY_PATH'] ?? '').split(':'), '/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/nvidia/lib64', '/usr/lib/wsl/lib'];
  return dirs.filter(Boolean).some((dir) => fs.existsSync(path.join(dir, 'libcuda.so.1')));
}

function which(cmd) {
  if (cmd.includes('/')) return cmd;
  for (const dir of (process.env['PATH'] ?? '').split(':')) {
    const p = path.join(dir, cmd);
    if (fs.existsSync(p)) return p;
  }
  return cmd;
}

/** The toolkit root, for cuda_runtime_api.h when compiling host sources with the C++ compiler. */
function cudaInclude(nvcc) {
  const home = path.dirname(path.dirname(fs.realpathSync(which(nvcc))));
  for (const dir of [path.join(home, 'include'), path.join(home, 'targets/x86_64-linux/include'), '/usr/local/cuda/include']) {
    if (fs.existsSync(path.join(dir, 'cuda_runtime_api.h'))) return dir;
  }
  throw new Error(`cuda_runtime_api.h not found near ${home}`);
}

function nodeInclude() {
  const candidates = [
    process.env['NODE_INCLUDE_DIR'],
    path.join(path.dirname(path.dirname(process.execPath)), 'include/node'),
    '/usr/local/include/node',
    '/usr/include/node',
  ].filter(Boolean);
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'node_api.h')));
  if (!found) throw new Error(`node_api.h not found (looked in ${candidates.join(', ')}; set NODE_INCLUDE_DIR)`);
  return found;
}

function listFiles(dir, ext) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => path.join(dir, f));
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -Infinity;
  }
}

/** Runs a compiler; resolves with its output, rejects with it on failure. */
function run(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('error', (err) => reject(new Error(`${cmd}: ${err.message}`)));
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`${cmd} ${args.join(' ')}\n${text}`))));
  });
}

/**
 * Runs the jobs with at most `limit` in flight; the first failure stops new starts and is rethrown. A compile takes
 * seconds and the whole build a minute or more, so a line says how far it got every `progressSeconds`.
 */
async function runLimited(jobs, limit, progressSeconds) {
  let next = 0;
  let done = 0;
  let failure = null;
  const ticker = setInterval(() => log(`native build: ${done} of ${jobs.length} objects compiled (${seconds()})`), progressSeconds * 1000);
  const worker = async () => {
    while (next < jobs.length && !failure) {
      const job = jobs[next++];
      try {
        await job();
        done++;
      } catch (err) {
        failure ??= err;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  } finally {
    clearInterval(ticker);
  }
  if (failure) throw failure;
}

/** Dynamic dependencies must not include CUDA libraries: the addon has to load on machines without them. */
function checkNoCudaLinkedAtLoad(file) {
  const r = spawnSync('readelf', ['-d', file], { encoding: 'utf8' });
  if (r.status !== 0) return; // no readelf: the load test below still runs
  const needed = [...r.stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
  const cuda = needed.filter((lib) => /^lib(cuda|cudart|cublas|cublasLt)\b/.test(lib));
  if (cuda.length) throw new Error(`${path.basename(file)} links ${cuda.join(', ')} at load time; CUDA must be static or dlopen'ed`);
}

/** Loads the addon with every symbol resolved now, so a missing definition fails the build and not a later call. */
function checkLoads(file) {
  const script = `process.dlopen({ exports: {} }, ${JSON.stringify(file)}, require('node:os').constants.dlopen.RTLD_NOW)`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${path.basename(file)} does not load:\n${r.stderr}`);
}

const exportsMap = path.join(nativeDir, 'addon.exports');

function hostFlags(extra, optimise = ['-O2']) {
  return ['-std=c++17', ...optimise, '-fPIC', '-fvisibility=hidden', '-Wall', '-Wextra', '-DNAPI_VERSION=8', `-I${nodeInclude()}`, ...extra];
}

/**
 * The real addon. Static cudart and libstdc++, and no symbol of those archives exported: nothing CUDA is linked at
 * load time and the addon cannot clash with another CUDA runtime in the process (tfjs-node-gpu's, say).
 */
function cudaTarget(nvcc) {
  const cxx = process.env['CXX'] || 'g++';
  const cxxFlags = hostFlags([`-I${cudaInclude(nvcc)}`]);
  const gencode = ARCHS.flatMap((a) => ['-gencode', `arch=compute_${a},code=sm_${a}`]);
  gencode.push('-gencode', `arch=compute_${PTX_ARCH},code=compute_${PTX_ARCH}`);
  const nvccFlags = ['-std=c++17', '-O3', '-Xcompiler', '-fPIC,-fvisibility=hidden', ...gencode];
  const linkFlags = ['-shared', '-cudart', 'static', '-Xcompiler', '-static-libstdc++,-static-libgcc', '-Xlinker', `--exclude-libs,ALL,--version-script=${exportsMap}`];
  const linkLibs = ['-ldl', '-lpthread', '-lrt'];
  const hostSources = listFiles(nativeDir, '.cc');
  return {
    label: 'cuda addon',
    output: path.join(buildDir, 'puzzle_cuda.node'),
    objDir: path.join(buildDir, 'obj'),
    config: { nvcc, cxx, cxxFlags, nvccFlags, linkFlags, linkLibs },
    headers: [...listFiles(nativeDir, '.h'), ...listFiles(path.join(nativeDir, 'kernels'), '.cuh')],
    // The slow nvcc compiles first, so the quick host files fill the second slot.
    sources: [
      ...listFiles(path.join(nativeDir, 'kernels'), '.cu').map((src) => ({ src, compile: (obj) => [nvcc, [...nvccFlags, '-c', src, '-o', obj]] })),
      ...hostSources.map((src) => ({ src, compile: (obj) => [cxx, [...cxxFlags, '-c', src, '-o', obj]] })),
    ],
    link: (objects, out) => [nvcc, [...linkFlags, '-o', out, ...objects, ...linkLibs]],
    summary: `sm_${ARCHS.join(', sm_')} + compute_${PTX_ARCH} PTX`,
  };
}

/** The simulator: every .cu compiled as C++ against native/sim/include, the simulated runtime and cuBLAS beside. */
function simTarget() {
  const cxx = process.env['CXX'] || 'g++';
  const debug = process.env['PUZZLE_NATIVE_SIM_DEBUG'] === '1';
  const cxxFlags = hostFlags(['-DPUZZLE_CUDA_SIM=1', `-I${path.join(simDir, 'include')}`], debug ? ['-O0', '-g'] : ['-O2']);
  const linkFlags = ['-shared', '-static-libstdc++', '-static-libgcc', `-Wl,--exclude-libs,ALL,--version-script=${exportsMap}`];
  const linkLibs = ['-ldl', '-lpthread'];
  // cublas_loader.cc opens the real cuBLAS; sim/cublas_sim.cc fills the same table instead.
  const hostSources = [...listFiles(nativeDir, '.cc').filter((f) => path.basename(f) !== 'cublas_loader.cc'), ...listFiles(simDir, '.cc')];
  const simHeaders = fs.readdirSync(path.join(simDir, 'include'), { recursive: true }).filter((f) => f.endsWith('.h')).map((f) => path.join(simDir, 'include', f));
  return {
    label: 'cuda simulator',
    output: path.join(buildDir, 'puzzle_cuda_sim.node'),
    objDir: path.join(buildDir, 'obj-sim'),
    config: { cxx, cxxFlags, linkFlags, linkLibs },
    headers: [...listFiles(nativeDir, '.h'), ...listFiles(path.join(nativeDir, 'kernels'), '.cuh'), ...listFiles(simDir, '.h'), ...simHeaders],
    sources: [
      ...listFiles(path.join(nativeDir, 'kernels'), '.cu').map((src) => ({ src, compile: (obj) => [cxx, [...cxxFlags, '-x', 'c++', '-c', src, '-o', obj]] })),
      ...hostSources.map((src) => ({ src, compile: (obj) => [cxx, [...cxxFlags, '-c', src, '-o', obj]] })),
    ],
    link: (objects, out) => [cxx, [...linkFlags, '-o', out, ...objects, ...linkLibs]],
    summary: debug ? 'host C++ with -O0 -g, runs on the CPU' : 'host C++, runs on the CPU',
  };
}

/** What a target needs: its stale compiles as jobs, and the link to run once they are done (null when up to date). */
function plan(target) {
  const newestHeader = Math.max(...target.headers.map(mtime));
  fs.mkdirSync(target.objDir, { recursive: true });
  const configFile = path.join(target.objDir, 'build-config.json');
  const configHash = createHash('sha256').update(JSON.stringify(target.config)).digest('hex');
  const configChanged = (fs.existsSync(configFile) ? fs.readFileSync(configFile, 'utf8') : '') !== configHash;
  const objectOf = (src) => path.join(target.objDir, `${path.relative(nativeDir, src).replaceAll('/', '_')}.o`);
  const stale = (src) => configChanged || Math.max(mtime(src), newestHeader) > mtime(objectOf(src));
  const jobs = target.sources
    .filter(({ src }) => stale(src))
    .map(({ src, compile }) => async () => {
      const [cmd, args] = compile(objectOf(src));
      // A clean compile prints nothing; warnings are shown, not swallowed, so that they get fixed.
      const output = (await run(cmd, args)).trim();
      if (output) log(`${target.label}: ${path.relative(root, src)} compiled with warnings:\n${output}`);
    });
  const objects = target.sources.map(({ src }) => objectOf(src));
  // The object list is part of the link: a source added or removed relinks even when every object is fresh.
  const linkFile = path.join(target.objDir, 'link-inputs.txt');
  const linkInputs = objects.join('\n');
  const sameInputs = fs.existsSync(linkFile) && fs.readFileSync(linkFile, 'utf8') === linkInputs;
  const relink = jobs.length > 0 || !sameInputs || [...objects, exportsMap].some((f) => mtime(f) > mtime(target.output));
  const relOutput = path.relative(root, target.output);
  if (jobs.length > 0) log(`${target.label}: compiling ${jobs.length} of ${objects.length} objects for ${relOutput} (a minute or more on 2 cores)…`);
  // A compile in flight with outdated flags must not be mistaken for fresh next time: record the flags last.
  if (configChanged) fs.rmSync(configFile, { force: true });
  const link = async () => {
    fs.writeFileSync(configFile, configHash);
    if (!relink) {
      log(`${target.label}: ${relOutput} is up to date (${seconds()})`);
      return;
    }
    const tmpOutput = `${target.output}.tmp`;
    const [cmd, args] = target.link(objects, tmpOutput);
    await run(cmd, args);
    checkNoCudaLinkedAtLoad(tmpOutput);
    checkLoads(tmpOutput);
    fs.renameSync(tmpOutput, target.output);
    fs.writeFileSync(linkFile, linkInputs);
    log(`${target.label}: built ${relOutput} (${jobs.length} of ${objects.length} objects compiled, ${target.summary}) in ${seconds()}`);
  };
  return { jobs, link };
}

const targets = [];
const nvcc = findNvcc();
const cudaWanted = process.env['PUZZLE_NATIVE_CUDA'];
if (!nvcc) log('nvcc not found: skipping the cuda addon (the tfjs engine still works)');
else if (cudaWanted === '0') log('PUZZLE_NATIVE_CUDA=0: skipping the cuda addon');
else if (cudaWanted !== '1' && !driverInstalled()) {
  log('no NVIDIA driver here (libcuda.so.1 not found): skipping the cuda addon, which could not run; PUZZLE_NATIVE_CUDA=1 builds it anyway');
} else targets.push(() => cudaTarget(nvcc));
if (process.env['PUZZLE_NATIVE_SIM'] !== '0') targets.push(simTarget);
try {
  const plans = targets.map((make) => plan(make()));
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const limit = Math.max(1, Number(process.env['PUZZLE_NATIVE_JOBS']) || Math.min(2, cores));
  const progressSeconds = Number(process.env['PUZZLE_NATIVE_PROGRESS_SECONDS']) || 10;
  await runLimited(plans.flatMap((p) => p.jobs), limit, progressSeconds);
  for (const p of plans) await p.link();
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  log(`native build FAILED after ${seconds()}`);
  process.exit(1);
}
