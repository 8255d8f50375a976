import { createRequire } from 'node:module';
import type * as tfc from '@tensorflow/tfjs-core';
import { BackendError } from '../../errors.js';
import { registerWasmBackend } from './tfjs-wasm.js';

export type Tf = typeof tfc;

/** The tfjs backends the engine can run on: libtensorflow (tfjs-node-gpu), WebAssembly, plain JavaScript. */
export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';

const BACKENDS: readonly TfjsBackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface LoadedTfjs {
  tf: Tf;
  /** The backend in use: 'tensorflow' when @tensorflow/tfjs-node-gpu is installed, else 'wasm' unless asked for 'cpu'. */
  backend: TfjsBackendName;
  /** Threads of the wasm backend's XNNPACK pool (PUZZLE_TFJS_THREADS); 1 on the other backends. */
  threads: number;
}

/** The most threads: tfjs-backend-wasm's threaded build starts a pool of 8 pthread workers. */
const MAX_WASM_THREADS = 8;

const require = createRequire(import.meta.url);

/** Whether the optional peer @tensorflow/tfjs-node-gpu can be resolved from here. */
export function hasTfjsNodeGpu(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node-gpu');
    return true;
  } catch {
    return false;
  }
}

/** PUZZLE_TFJS_BACKEND when set (an unknown name is an error), else null: the automatic choice. */
export function requestedTfjsBackend(): TfjsBackendName | null {
  const requested = process.env['PUZZLE_TFJS_BACKEND'];
  if (!requested) return null;
  if (!(BACKENDS as readonly string[]).includes(requested)) {
    throw new BackendError('PUZZLE_TFJS_BACKEND', `unknown tfjs backend '${requested}' (expected ${BACKENDS.join(', ')})`);
  }
  return requested as TfjsBackendName;
}

/** Whether each backend registered (true) or cannot run here (false); each is registered at most once a process. */
const registered = new Map<TfjsBackendName, boolean>();
/** The wasm backend's threads, once it is registered. */
let wasmThreads = 1;

/**
 * PUZZLE_TFJS_THREADS: the wasm backend's threads, 1 (the default) to 8. More than one is opt-in: a thread that
 * waits for a busy core stalls every kernel it shares, which on a shared machine costs more than it gains.
 */
export function requestedTfjsThreads(): number {
  const requested = process.env['PUZZLE_TFJS_THREADS'];
  if (!requested) return 1;
  const threads = Number(requested);
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw new BackendError('PUZZLE_TFJS_THREADS', `expected a whole number of threads from 1 to ${MAX_WASM_THREADS}, got '${requested}'`);
  }
  return threads;
}

/** Registers the backend's factory on `tf` once; false when it cannot run here (tfjs-node-gpu missing or broken). */
function register(tf: Tf, backend: TfjsBackendName): boolean {
  if (!registered.has(backend)) registered.set(backend, registerOnce(tf, backend));
  return registered.get(backend)!;
}

function registerOnce(tf: Tf, backend: TfjsBackendName): boolean {
  if (backend === 'cpu') require('@tensorflow/tfjs-backend-cpu');
  else if (backend === 'wasm') wasmThreads = registerWasmBackend(tf, requestedTfjsThreads()).threads;
  else {
    if (!hasTfjsNodeGpu()) return false;
    try {
      require('@tensorflow/tfjs-node-gpu');
    } catch (err) {
      // Installed but unusable (libtensorflow missing or built for another CUDA): the wasm backend still works.
      process.stderr.write(`[puzzle] @tensorflow/tfjs-node-gpu failed to load, using the tfjs wasm backend: ${(err as Error).message}\n`);
      return false;
    }
  }
  return tf.findBackendFactory(backend) !== null;
}

/**
 * Loads tfjs-core through CommonJS, so that tfjs-node-gpu and tfjs-backend-wasm register on the very same instance,
 * and makes `backend` (default: PUZZLE_TFJS_BACKEND, else tensorflow when tfjs-node-gpu loads, else wasm) the
 * active tfjs backend. A backend asked for by name that cannot run here is a BackendError.
 */
export function loadTfjs(backend: TfjsBackendName | null = requestedTfjsBackend()): LoadedTfjs {
  const tf = require('@tensorflow/tfjs-core') as Tf;
  const name = backend ?? (register(tf, 'tensorflow') ? 'tensorflow' : 'wasm');
  if (!register(tf, name)) throw new BackendError('tfjs', `the tfjs backend '${name}' cannot run here (is @tensorflow/tfjs-node-gpu installed?)`);
  // Every factory is synchronous (the wasm one is ours), so the backend is ready when setBackend returns.
  void tf.setBackend(name);
  if (tf.getBackend() !== name) throw new BackendError('tfjs', `the tfjs backend '${name}' failed to start`);
  // The cpu backend would print an advert for tfjs-node on first use; the registry already says which engine runs.
  (tf.engine().backend as { firstUse?: boolean }).firstUse = false;
  return { tf, backend: name, threads: name === 'wasm' ? wasmThreads : 1 };
}
