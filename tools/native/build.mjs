// Builds the cuda engine's Node-API addon, packages/backend/build/puzzle_cuda.node, with nvcc and the host C++
// compiler directly (node-gyp 13 needs Node 22). Without nvcc it prints one line and exits 0: the tfjs engine still
// works. With nvcc, any compile or link error fails the build.
//
// Incremental: an object is rebuilt when its source, any native header or the build flags changed; the addon is
// relinked when an object is newer. Two compiler processes at most run at once (the build machine has 2 cores).
//
// Environment: PUZZLE_NVCC (nvcc to use; a path that does not exist means "no nvcc"), CXX (host compiler, g++),
// NODE_INCLUDE_DIR (directory holding node_api.h), PUZZLE_NATIVE_JOBS (parallel compiles, default min(2, cores)).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const started = Date.now();
const root = fileURLToPath(new URL('../..', import.meta.url));
const nativeDir = path.join(root, 'packages/backend/native');
const buildDir = path.join(root, 'packages/backend/build');
const objDir = path.join(buildDir, 'obj');
const output = path.join(buildDir, 'puzzle_cuda.node');
const relOutput = path.relative(root, output);

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

/** Runs the jobs with at most `limit` in flight; the first failure stops new starts and is rethrown. */
async function runLimited(jobs, limit) {
  let next = 0;
  let failure = null;
  const worker = async () => {
    while (next < jobs.length && !failure) {
      const job = jobs[next++];
      try {
        await job();
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  if (failure) throw failure;
}

/** Dynamic dependencies must not include CUDA libraries: the addon has to load on machines without them. */
function checkNoCudaLinkedAtLoad(file) {
  const r = spawnSync('readelf', ['-d', file], { encoding: 'utf8' });
  if (r.status !== 0) return; // no readelf: the load test below still runs
  const needed = [...r.stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
  const cuda = needed.filter((lib) => /^lib(cuda|cudart|cublas|cublasLt)\b/.test(lib));
  if (cuda.length) throw new Error(`${relOutput} links ${cuda.join(', ')} at load time; CUDA must be static or dlopen'ed`);
}

/** Loads the addon with every symbol resolved now, so a missing definition fails the build and not a later call. */
function checkLoads(file) {
  const script = `process.dlopen({ exports: {} }, ${JSON.stringify(file)}, require('node:os').constants.dlopen.RTLD_NOW)`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${relOutput} does not load:\n${r.stderr}`);
}

async function build(nvcc) {
  const cxx = process.env['CXX'] || 'g++';
  const includes = [`-I${nodeInclude()}`, `-I${cudaInclude(nvcc)}`];
  const cxxFlags = ['-std=c++17', '-O2', '-fPIC', '-fvisibility=hidden', '-Wall', '-Wextra', '-DNAPI_VERSION=8', ...includes];
  const gencode = ARCHS.flatMap((a) => ['-gencode', `arch=compute_${a},code=sm_${a}`]);
  gencode.push('-gencode', `arch=compute_${PTX_ARCH},code=compute_${PTX_ARCH}`);
  const nvccFlags = ['-std=c++17', '-O3', '-Xcompiler', '-fPIC,-fvisibility=hidden', ...gencode];
  // Static cudart and libstdc++, and no symbol of those archives exported: nothing CUDA is linked at load time and
  // the addon cannot clash with another CUDA runtime in the process (tfjs-node-gpu's, say).
  const exportsMap = path.join(nativeDir, 'addon.exports');
  const linkFlags = [
    '-shared',
    '-cudart',
    'static',
    '-Xcompiler',
    '-static-libstdc++,-static-libgcc',
    '-Xlinker',
    `--exclude-libs,ALL,--version-script=${exportsMap}`,
  ];
  const linkLibs = ['-ldl', '-lpthread', '-lrt'];

  const cuSources = listFiles(path.join(nativeDir, 'kernels'), '.cu');
  const ccSources = listFiles(nativeDir, '.cc');
  const headers = [...listFiles(nativeDir, '.h'), ...listFiles(path.join(nativeDir, 'kernels'), '.cuh')];
  const newestHeader = Math.max(...headers.map(mtime));

  fs.mkdirSync(objDir, { recursive: true });
  const configFile = path.join(objDir, 'build-config.json');
  const config = JSON.stringify({ nvcc, cxx, cxxFlags, nvccFlags, linkFlags, linkLibs });
  const configHash = createHash('sha256').update(config).digest('hex');
  const configChanged = (fs.existsSync(configFile) ? fs.readFileSync(configFile, 'utf8') : '') !== configHash;

  const objectOf = (src) => path.join(objDir, `${path.relative(nativeDir, src).replaceAll('/', '_')}.o`);
  const stale = (src) => configChanged || Math.max(mtime(src), newestHeader) > mtime(objectOf(src));
  // The slow nvcc compiles first, so the quick host files fill the second slot.
  const jobs = [
    ...cuSources.filter(stale).map((src) => () => run(nvcc, [...nvccFlags, '-c', src, '-o', objectOf(src)])),
    ...ccSources.filter(stale).map((src) => () => run(cxx, [...cxxFlags, '-c', src, '-o', objectOf(src)])),
  ];
  const objects = [...cuSources, ...ccSources].map(objectOf);
  // The object list is part of the link: a source added or removed relinks even when every object is fresh.
  const linkFile = path.join(objDir, 'link-inputs.txt');
  const linkInputs = objects.join('\n');
  const sameInputs = fs.existsSync(linkFile) && fs.readFileSync(linkFile, 'utf8') === linkInputs;
  const relink = jobs.length > 0 || !sameInputs || [...objects, exportsMap].some((f) => mtime(f) > mtime(output));
  if (!relink) {
    log(`cuda addon: ${relOutput} is up to date (${seconds()})`);
    return;
  }

  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const limit = Math.max(1, Number(process.env['PUZZLE_NATIVE_JOBS']) || Math.min(2, cores));
  // A compile in flight with outdated flags must not be mistaken for fresh next time: record the flags last.
  if (configChanged) fs.rmSync(configFile, { force: true });
  await runLimited(jobs, limit);
  fs.writeFileSync(configFile, configHash);

  const tmpOutput = `${output}.tmp`;
  await run(nvcc, [...linkFlags, '-o', tmpOutput, ...objects, ...linkLibs]);
  checkNoCudaLinkedAtLoad(tmpOutput);
  checkLoads(tmpOutput);
  fs.renameSync(tmpOutput, output);
  fs.writeFileSync(linkFile, linkInputs);
  const archs = `sm_${ARCHS.join(', sm_')} + compute_${PTX_ARCH} PTX`;
  log(`cuda addon: built ${relOutput} (${jobs.length} of ${objects.length} objects compiled, ${archs}) in ${seconds()}`);
}

const nvcc = findNvcc();
if (!nvcc) {
  log('nvcc not found: skipping the cuda addon (the tfjs engine still works)');
  process.exit(0);
}
try {
  await build(nvcc);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  log(`cuda addon: build FAILED after ${seconds()}`);
  process.exit(1);
}
