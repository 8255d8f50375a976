import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tf } from './tfjs-loader.js';
import { hasSimd, packageDir, require, WebAssemblyApi, withTfjsApi, type EmscriptenFactory, type EmscriptenModule } from './tfjs-wasm-module.js';
import { instantiateThreaded } from './tfjs-wasm-threads.js';

type BackendWasmClass = new (wasm: EmscriptenModule) => object;

/**
 * The single-threaded Emscripten module of tfjs-backend-wasm, instantiated synchronously from the binary inside the
 * npm package. tfjs' own init() fetches the binary and instantiates it asynchronously; Puzzle creates its engine on
 * first use, inside a synchronous call, and Node compiles a module of this size synchronously in a few milliseconds.
 */
function instantiate(dir: string, simd: boolean): EmscriptenModule {
  const factory = require(join(dir, 'wasm-out', 'tfjs-backend-wasm.js')) as EmscriptenFactory;
  const compiled = new WebAssemblyApi.Module(readFileSync(join(dir, 'dist', simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm')));
  const config: Partial<EmscriptenModule> = {
    instantiateWasm(imports, receive) {
      const instance = new WebAssemblyApi.Instance(compiled, imports);
      receive(instance, compiled);
      return instance.exports;
    },
  };
  // Emscripten fills `config` itself in; with a synchronous instantiation its runtime is up when the factory returns.
  factory(config as EmscriptenModule).catch(() => {});
  return withTfjsApi(config as EmscriptenModule);
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
  threads: number;
}

/**
 * Registers tfjs' WebAssembly backend ('wasm') with a synchronous factory, so that `tf.setBackend('wasm')` is ready
 * when it returns, as the cpu backend is. The package's kernels stay as it registered them; only its asynchronous
 * backend factory is replaced. With `threads` > 1 (and SIMD) it is the package's multi-threaded build, started
 * synchronously too (tfjs-wasm-threads.ts). Nothing is downloaded: binaries and glue come from the installed package.
 */
export function registerWasmBackend(tf: Tf, threads: number): WasmBackendInfo {
  const simd = hasSimd();
  const threaded = simd && threads > 1;
  withoutNewProcessListeners(() => {
    const wasm = require('@tensorflow/tfjs-backend-wasm') as { BackendWasm: BackendWasmClass; setThreadsCount(n: number): void };
    const dir = packageDir();
    wasm.setThreadsCount(threaded ? threads : 1);
    if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm');
    tf.registerBackend('wasm', () =>
      withoutNewProcessListeners(() => {
        const module = threaded ? instantiateThreaded(dir, threads) : instantiate(dir, simd);
        const backend = new wasm.BackendWasm(module) as never;
        // The pthread workers (started by the constructor) must not keep the process alive on their own.
        for (const w of [...(module.PThread?.runningWorkers ?? []), ...(module.PThread?.unusedWorkers ?? [])]) w.unref();
        return backend;
      }),
    );
  });
  return { simd, threads: threaded ? threads : 1 };
}
