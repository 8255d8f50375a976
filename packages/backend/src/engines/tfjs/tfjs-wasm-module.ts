import { createRequire } from 'node:module';
import { dirname } from 'node:path';

// What Puzzle needs of tfjs-backend-wasm's Emscripten glue, shared by its single- and multi-threaded start.

export const require = createRequire(import.meta.url);

/** The few WebAssembly calls used here (the project's type libraries do not declare the WebAssembly global). */
interface WasmApi {
  Module: new (binary: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  validate(binary: Uint8Array): boolean;
}
export const WebAssemblyApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The parts of the Emscripten module that tfjs' BackendWasm and Puzzle read (`tfjs` is set up as tfjs' init() does). */
export interface EmscriptenModule {
  calledRun?: boolean;
  cwrap(name: string, returns: string | null, args: string[]): (...args: number[]) => number;
  tfjs?: Record<string, (...args: number[]) => number>;
  instantiateWasm?: (imports: { env: Record<string, unknown> }, receive: (instance: object, module: object) => void) => object;
  mainScriptUrlOrBlob?: string;
  PThread?: { unusedWorkers: WasmWorker[]; runningWorkers: WasmWorker[] };
}

/** A pthread's worker as Emscripten's glue holds it in Node. */
export interface WasmWorker {
  onmessage(e: { data: unknown }): void;
  unref(): void;
}

export type EmscriptenFactory = (config: EmscriptenModule) => Promise<unknown>;

/** The installed tfjs-backend-wasm: its binaries are in dist/, its Emscripten glue in wasm-out/. */
export function packageDir(): string {
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
}

/** The binary tfjs would pick in a browser: SIMD where this WebAssembly engine validates a SIMD instruction. */
export function hasSimd(): boolean {
  // i32x4.splat of a constant: the probe tfjs-backend-wasm itself runs (from wasm-feature-detect).
  const probe = [0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11];
  return WebAssemblyApi.validate(new Uint8Array(probe));
}

/** Checks that the runtime is up and adds the `tfjs` entry points BackendWasm calls. */
export function withTfjsApi(module: EmscriptenModule): EmscriptenModule {
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
