// What only the cuda engine has: the probe and its reasons, loading the addon without a GPU, the environment
// options, the choice between the GPU and the CUDA simulator, out-of-memory handling, the float32 matmul precision
// and error reporting. The engine parts run on the GPU where one answers and on the simulator elsewhere.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cudaUnderTest, skipNote } from '@puzzle/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ArrayRef, Engine } from '../../engine/engine.js';
import type { Float32MatmulPrecision } from '../../engine/matmul-precision.js';
import { BackendError, Blas, getBackend, getFloat32MatmulPrecision, gpuarray, HostArray, memoryStats, Rng, setBackend, setFloat32MatmulPrecision } from '../../index.js';
import { addonPath, loadAddon, loadAddonFrom } from './addon-loader.js';
import { resolveCudaOptions } from './cuda-engine.js';
import { createCudaEngine, cudaFactory, probeCuda } from './cuda-factory.js';

const realAddon = addonPath(false);
const realAddonBuilt = existsSync(realAddon);
const simulatorBuilt = existsSync(addonPath(true));
/** The cuda engine this file tests: the GPU, else the simulator (which PUZZLE_CUDA_SIM=1 then selects). */
const cuda = cudaUnderTest();
const simulated = cuda.ok && cuda.simulator === true;
const gpu = cuda.ok && !simulated;
const NO_REAL_ADDON = 'puzzle_cuda.node is not built (npm run build:native, where nvcc is installed)';

/** Runs `body` with PUZZLE_CUDA_SIM set to `value` (undefined: unset), restoring it after. */
function withSimulatorSetting<T>(value: string | undefined, body: () => T): T {
  const saved = process.env['PUZZLE_CUDA_SIM'];
  if (value === undefined) delete process.env['PUZZLE_CUDA_SIM'];
  else process.env['PUZZLE_CUDA_SIM'] = value;
  try {
    return body();
  } finally {
    if (saved === undefined) delete process.env['PUZZLE_CUDA_SIM'];
    else process.env['PUZZLE_CUDA_SIM'] = saved;
  }
}

function hasReadelf(): boolean {
  try {
    execFileSync('readelf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** cudaErrorInsufficientDriver: what the static CUDA runtime answers both without a driver and with an old one. */
const CUDA_ERROR_INSUFFICIENT_DRIVER = 35;

/** Whether the NVIDIA driver's library loads here (as a Node addon it then fails to register, which is fine). */
function driverLibraryPresent(): boolean {
  try {
    process.dlopen({ exports: {} }, 'libcuda.so.1');
    return true;
  } catch (e) {
    return !/cannot open shared object file/.test(String(e));
  }
}

describe('cuda probe', () => {
  it('never throws, explains an unavailable engine, and answers from cache after the first call', () => {
    const first = cudaFactory.probe();
    if (!first.ok) expect(first.reason.length).toBeGreaterThan(10);
    // Cached: later calls return the very same answer object.
    expect(cudaFactory.probe()).toBe(first);
  });

  it('reports a missing addon as not built', () => {
    const load = loadAddonFrom('/nonexistent/puzzle/build/puzzle_cuda.node');
    expect(load.ok).toBe(false);
    if (!load.ok) expect(load.reason).toMatch(/native addon not built.*npm run build:native/);
  });

  it('reports a file that is not an addon as failing to load, without throwing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'puzzle-cuda-'));
    try {
      const file = join(dir, 'puzzle_cuda.node');
      writeFileSync(file, 'not an ELF file');
      const load = loadAddonFrom(file);
      expect(load.ok).toBe(false);
      if (!load.ok) expect(load.reason).toMatch(/failed to load/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!realAddonBuilt)(`loads the built addon on any machine, with codes matching the engine${skipNote(!realAddonBuilt, NO_REAL_ADDON)}`, () => {
    const load = withSimulatorSetting('0', () => loadAddon());
    if (!load.ok) expect.fail(load.reason);
    expect(load.path).toBe(realAddon);
    expect(load.addon.codes.matmulPrecision).toEqual({ highest: 0, high: 1, medium: 2 });
    expect(load.addon.simulator).toBeUndefined();
  });

  it.skipIf(!realAddonBuilt || gpu)(`without a usable GPU names what is missing, and the engine refuses cleanly${skipNote(!realAddonBuilt || gpu, gpu ? 'a GPU answers here' : NO_REAL_ADDON)}`, () => {
    withSimulatorSetting('0', () => {
      const probe = probeCuda();
      expect(probe.ok).toBe(false);
      if (!probe.ok) expect(probe.reason).toMatch(/^(no NVIDIA driver|no CUDA device|CUDA driver too old|CUDA unavailable|cuBLAS not loadable)/);
      expect(() => createCudaEngine()).toThrow(BackendError);
      expect(() => setBackend('cuda')).toThrow(/engine cuda is unavailable: /);
    });
  });

  it.skipIf(!realAddonBuilt || !hasReadelf())(`links nothing from CUDA at load time${skipNote(!realAddonBuilt || !hasReadelf(), realAddonBuilt ? 'no readelf here' : NO_REAL_ADDON)}`, () => {
    const dynamic = execFileSync('readelf', ['-d', realAddon], { encoding: 'utf8' });
    const needed = [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
    expect(needed.filter((lib) => /cuda|cublas/.test(lib!))).toEqual([]);
  });
});

describe.skipIf(!simulatorBuilt)(`the CUDA simulator as the cuda engine${skipNote(!simulatorBuilt, 'the simulator addon is not built (npm run build:native)')}`, () => {
  it('is the addon PUZZLE_CUDA_SIM=1 loads, probes as a simulator and names itself so', () => {
    withSimulatorSetting('1', () => {
      const load = loadAddon();
      if (!load.ok) expect.fail(load.reason);
      expect(load.path).toBe(addonPath(true));
      expect(load.addon.simulator).toBeDefined();
      expect(probeCuda()).toEqual({ ok: true, simulator: true });
      expect(load.addon.probe()).toMatchObject({ ok: true, device: expect.stringMatching(/simulator/) as unknown });
    });
  });

  it('words a machine without the NVIDIA driver as such (it said "driver version is insufficient")', () => {
    withSimulatorSetting('1', () => {
      const load = loadAddon();
      if (!load.ok) expect.fail(load.reason);
      load.addon.simulator!.failNextDeviceCount(CUDA_ERROR_INSUFFICIENT_DRIVER);
      const probe = load.addon.probe();
      if (probe.ok) expect.fail('the injected failure did not reach the probe');
      expect(probe.reason).not.toMatch(/insufficient/);
      if (driverLibraryPresent()) expect(probe.reason).toMatch(/^CUDA driver too old for the CUDA 13 runtime: /);
      else expect(probe.reason).toBe('no NVIDIA driver (libcuda.so.1 not found): a GPU needs one; tfjs runs without');
      expect(load.addon.probe().ok).toBe(true);
    });
  });

  it('is never the automatic choice: without PUZZLE_BACKEND the tfjs engine runs and the line says why', () => {
    const script = join(mkdtempSync(join(tmpdir(), 'puzzle-sim-choice-')), 'choice.ts');
    const backend = fileURLToPath(new URL('../../index.ts', import.meta.url));
    writeFileSync(script, `import { getBackend } from ${JSON.stringify(backend)};\nconsole.log(getBackend().name);\n`);
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, PUZZLE_CUDA_SIM: '1', PUZZLE_QUIET: '0' };
      delete env['PUZZLE_BACKEND'];
      const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', env });
      expect(r.stdout.trim()).toBe('tfjs');
      expect(r.stderr).toMatch(/engine: tfjs .*cuda is the simulator, chosen only by PUZZLE_BACKEND=cuda or setBackend/);
    } finally {
      rmSync(join(script, '..'), { recursive: true, force: true });
    }
  });
});

describe('cuda options', () => {
  it('come from PUZZLE_CUDA_DEVICE, explicit options winning', () => {
    expect(resolveCudaOptions({}, {})).toEqual({ device: 0, matmulPrecision: null });
    expect(resolveCudaOptions({}, { PUZZLE_CUDA_DEVICE: '1' })).toEqual({ device: 1, matmulPrecision: null });
    expect(resolveCudaOptions({ device: 2 }, { PUZZLE_CUDA_DEVICE: '1' }).device).toBe(2);
    expect(() => resolveCudaOptions({}, { PUZZLE_CUDA_DEVICE: 'first' })).toThrow(BackendError);
  });

  it('pin the float32 matmul precision only when given; the environment feeds the process-wide setting instead', () => {
    expect(resolveCudaOptions({}, { PUZZLE_CUDA_TF32: '1', PUZZLE_FLOAT32_MATMUL_PRECISION: 'medium' }).matmulPrecision).toBeNull();
    expect(resolveCudaOptions({ matmulPrecision: 'high' }, {}).matmulPrecision).toBe('high');
    expect(resolveCudaOptions({ matmulPrecision: 'highest' }, { PUZZLE_FLOAT32_MATMUL_PRECISION: 'medium' }).matmulPrecision).toBe('highest');
    expect(() => resolveCudaOptions({ matmulPrecision: 'tf32' as Float32MatmulPrecision }, {})).toThrow(/^cuda: unknown float32 matmul precision 'tf32'/);
  });
});

function contiguous(buffer: ReturnType<Engine['alloc']>, shape: number[]): ArrayRef {
  return { buffer, offset: 0, shape, strides: shape.length === 2 ? [shape[1]!, 1] : [1], dtype: 'float32' };
}

/** Max |C − ref| over the first `rows` rows of a row-major (m×n) product computed by `engine`, relative to √k. */
function gemmError(engine: Engine, a: Float32Array, b: Float32Array, size: number, rows: number): number {
  const bytes = size * size * 4;
  const [ba, bb, bc] = [engine.alloc(bytes), engine.alloc(bytes), engine.alloc(bytes)];
  const [ra, rb, rc] = [ba, bb, bc].map((buf) => contiguous(buf, [size, size])) as [ArrayRef, ArrayRef, ArrayRef];
  engine.write(ra, a);
  engine.write(rb, b);
  engine.gemm(ra, rb, rc, { transpA: false, transpB: false, alpha: 1, beta: 0 });
  const c = engine.read(rc) as Float32Array;
  for (const buf of [ba, bb, bc]) engine.free(buf);
  let worst = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < size; j++) {
      let s = 0;
      for (let p = 0; p < size; p++) s += a[i * size + p]! * b[p * size + j]!;
      worst = Math.max(worst, Math.abs(c[i * size + j]! - s));
    }
  }
  return worst / Math.sqrt(size);
}

describe.skipIf(!cuda.ok)(`cuda engine (${simulated ? 'the CUDA simulator' : 'GPU'})${cuda.ok ? '' : ` (skipped: ${cuda.reason})`}`, () => {
  beforeAll(() => setBackend('cuda'));
  const processPrecision = getFloat32MatmulPrecision();
  afterEach(() => setFloat32MatmulPrecision(processPrecision));

  it('names the device, and never calls the simulator a GPU', () => {
    expect(getBackend()).toMatchObject({ name: 'cuda' });
    expect(getBackend().device).toMatch(/^cuda:\d+ .+ \(sm_\d+, \d+ GiB\)$/);
    if (simulated) expect(getBackend().device).toMatch(/^cuda:0 CUDA simulator on the CPU \(no GPU\)/);
    else expect(getBackend().device).not.toMatch(/simulator/);
  });

  it('turns an impossible allocation into a BackendError and stays usable afterwards', () => {
    const engine = createCudaEngine();
    const { total } = engine.memoryInfo();
    expect(() => engine.alloc(total * 4)).toThrow(BackendError);
    expect(() => engine.alloc(total * 4)).toThrow(/^cuda\.alloc: cudaMalloc of \d+ bytes: out of memory/);
    // Through the pool: the failure propagates, nothing is counted live, later work is unaffected.
    const live = memoryStats().liveBuffers;
    expect(() => gpuarray.empty([total])).toThrow(/out of memory/);
    expect(memoryStats().liveBuffers).toBe(live);
    const x = gpuarray.toGpu(HostArray.from([1, 2, 3]));
    expect(Blas.dot(x, x)).toBe(14);
    x.dispose();
  });

  it.skipIf(!simulated)(`on the simulator the pool allocates exact sizes and refills a reused buffer with NaN${skipNote(!simulated, 'the cuda engine is a GPU here')}`, () => {
    const first = gpuarray.zeros([3], 'float32');
    first.dispose();
    const before = memoryStats().liveBytes;
    const again = gpuarray.empty([3], 'float32');
    // No 512-byte bin: one float32 past the end is past the allocation, where the simulator catches it.
    expect(memoryStats().liveBytes - before).toBe(12);
    expect(Array.from(again.get().data)).toEqual([NaN, NaN, NaN]);
    again.dispose();
  });

  it('refuses to free a buffer twice', () => {
    const engine = createCudaEngine();
    const buffer = engine.alloc(1024);
    engine.free(buffer);
    expect(() => engine.free(buffer)).toThrow(/freed twice/);
  });

  it('reports failures with the op name and the native message', () => {
    const engine = createCudaEngine();
    const buffer = engine.alloc(1024);
    const huge: ArrayRef = { buffer, offset: 0, shape: [2 ** 31, 1], strides: [1, 1], dtype: 'float32' };
    const small: ArrayRef = { buffer, offset: 0, shape: [1, 1], strides: [1, 1], dtype: 'float32' };
    expect(() => engine.gemm(huge, small, huge, { transpA: false, transpB: false, alpha: 1, beta: 0 })).toThrow(/^cuda\.gemm: gemm: m exceeds/);
    engine.free(buffer);
  });

  it('rounds float32 gemm operands to TF32 at high and to bfloat16 at medium precision, and only then', () => {
    const size = 512;
    const rng = new Rng(5);
    const a = Float32Array.from({ length: size * size }, () => rng.normal());
    const b = Float32Array.from({ length: size * size }, () => rng.normal());
    const errorAt = (matmulPrecision: Float32MatmulPrecision) => gemmError(createCudaEngine({ matmulPrecision }), a, b, size, 8);
    const [exact, tf32, bf16] = [errorAt('highest'), errorAt('high'), errorAt('medium')];
    // Errors are relative to √k, the typical magnitude of an entry of the product.
    expect(exact).toBeLessThan(1e-5);
    expect(tf32).toBeGreaterThan(10 * exact);
    expect(tf32).toBeLessThan(1e-2);
    // bfloat16 keeps 3 mantissa bits fewer than TF32: about 8 times its error, still a few percent at most.
    expect(bf16).toBeGreaterThan(2 * tf32);
    expect(bf16).toBeLessThan(5e-2);
    // An engine without the option follows the process-wide setting from its next gemm on.
    const following = createCudaEngine();
    setFloat32MatmulPrecision('highest');
    expect(gemmError(following, a, b, size, 8)).toBeLessThan(1e-5);
    setFloat32MatmulPrecision('high');
    expect(gemmError(following, a, b, size, 8)).toBeGreaterThan(10 * exact);
  });
});
