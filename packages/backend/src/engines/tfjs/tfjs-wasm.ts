import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Tf } from './tfjs-loader.js';

const require = createRequire(import.meta.url);

/** The few WebAssembly calls used here (the project's type libraries do not declare the WebAssembly global). */
interface WasmApi {
  Module: new (binary: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  validate(binary: Uint8Array): boolean;
}
const WebAssemblyApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The parts of the Emscripten module that tfjs' BackendWasm reads (`wasm.tfjs`, set up as its own init() does). */
interface EmscriptenModule {
  calledRun?: boolean;
  cwrap(name: string, returns: string | null, args: string[]): (...args: number[]) => number;
  tfjs?: Record<string, (...args: number[]) => number>;
  instantiateWasm?: (imports: object, receive: (instance: object, module: object) => void) => object;
}

type EmscriptenFactory = (config: EmscriptenModule) => Promise<unknown>;
type BackendWasmClass = new (wasm: EmscriptenModule) => object;

/** The binary tfjs would pick in a browser: SIMD where this WebAssembly engine validates a SIMD instruction. */
function hasSimd(): boolean {
  // i32x4.splat of a constant: the probe tfjs-backend-wasm itself runs (from wasm-feature-detect).
  const probe = [0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11];
  return WebAssemblyApi.validate(new Uint8Array(probe));
}

/**
 * The Emscripten module of tfjs-backend-wasm, instantiated synchronously from the binary inside the npm package.
 * tfjs' own init() fetches the binary and instantiates it asynchronously; Puzzle creates its engine on first use,
 * inside a synchronous call, and Node compiles a module of this size synchronously in a few milliseconds.
 */
function instantiate(packageDir: string, simd: boolean): EmscriptenModule {
  const factory = require(join(packageDir, 'wasm-out', 'tfjs-backend-wasm.js')) as EmscriptenFactory;
  const binary = readFileSync(join(packageDir, 'dist', simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm'));
  const compiled = new WebAssemblyApi.Module(binary);
  const config: Partial<EmscriptenModule> = {
    instantiateWasm(imports, receive) {
      const instance = new WebAssemblyApi.Instance(compiled, imports);
      receive(instance, compiled);
      return instance.exports;
    },
  };
  // Emscripten fills `config` itself in; with a synchronous instantiation its runtime is up when the factory returns.
  factory(config as EmscriptenModule).catch(() => {});
  const module = config as EmscriptenModule;
  if (!module.calledRun) throw new Error('the WebAssembly runtime did not start synchronously');
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

/** Runs `body`, then removes the process listeners it added: Emscripten's glue rethrows every uncaught error itself. */
function withoutNewProcessListeners<T>(body: () => T): T {
  const exceptions = process.listeners('uncaughtException');
  const rejections = process.listeners('unhandledRejection');
  try {
    return body();
  } finally {
    for (const l of process.listeners('uncaughtException')) if (!exceptions.includes(l)) process.removeListener('uncaughtException', l);
    for (const l of process.listeners('unhandledRejection')) if (!rejections.includes(l)) process.removeListener('unhandledRejection', l);
  }
}

export interface WasmBackendInfo {
  simd: boolean;
}

/**
 * Registers tfjs' WebAssembly backend ('wasm') with a synchronous factory, so that `tf.setBackend('wasm')` is ready
 * when it returns, as the cpu backend is. The package's kernels stay as it registered them; only its asynchronous
 * backend factory is replaced. Nothing is downloaded: binaries and glue come from the installed npm package.
 */
export function registerWasmBackend(tf: Tf): WasmBackendInfo {
  const simd = hasSimd();
  withoutNewProcessListeners(() => {
    const { BackendWasm } = require('@tensorflow/tfjs-backend-wasm') as { BackendWasm: BackendWasmClass };
    const packageDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
    tf.registerBackend('wasm', () => withoutNewProcessListeners(() => new BackendWasm(instantiate(packageDir, simd)) as never));
  });
  return { simd };
}
