import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MessagePort, Worker as NodeWorker } from 'node:worker_threads';
import { require, WebAssemblyApi, withTfjsApi, type EmscriptenFactory, type EmscriptenModule, type WasmWorker } from './tfjs-wasm-module.js';

// tfjs-backend-wasm's multi-threaded build in Node, started synchronously. tfjs itself never uses it in Node (its
// WASM_HAS_MULTITHREAD_SUPPORT flag is false there) and its init would be asynchronous anyway: Emscripten loads
// its pool of 8 pthread workers by messages that reach the main thread only once it returns to the event loop.
// Here each worker reports "loaded" through a port of its own and a shared flag instead, which the main thread
// waits on and reads synchronously, then hands to Emscripten's own handler; the rest is the package's glue.

const workerThreads = require('worker_threads') as typeof import('node:worker_threads');

/** Runs in each pthread worker before tfjs' worker code: its "loaded" message goes to the side channel instead. */
const LOADED_SIDE_CHANNEL = `const { workerData: puzzleChannel, parentPort: puzzleParent } = require('worker_threads');
const puzzlePost = puzzleParent.postMessage.bind(puzzleParent);
puzzleParent.postMessage = (message, transfer) => {
  if (!message || message.cmd !== 'loaded') return puzzlePost(message, transfer);
  puzzleChannel.port.postMessage(message);
  Atomics.store(puzzleChannel.flag, 0, 1);
  Atomics.notify(puzzleChannel.flag, 0);
};
`;

interface SyncLoadingWorker extends WasmWorker {
  readonly loadedFlag: Int32Array;
  readonly loadedPort: MessagePort;
}

/** A Worker class that runs tfjs' pthread worker code (an eval'd script) with the side channel in front. */
function syncLoadingWorkerClass(workerCode: string): new () => NodeWorker {
  return class extends workerThreads.Worker {
    readonly loadedFlag: Int32Array;
    readonly loadedPort: MessagePort;
    constructor() {
      const flag = new Int32Array(new SharedArrayBuffer(4));
      const { port1, port2 } = new workerThreads.MessageChannel();
      super(LOADED_SIDE_CHANNEL + workerCode, { eval: true, workerData: { flag, port: port2 }, transferList: [port2] });
      this.loadedFlag = flag;
      this.loadedPort = port1;
    }
  };
}

/** Blocks until the worker has loaded the module, then lets Emscripten's handler see its "loaded" message. */
function awaitLoaded(worker: SyncLoadingWorker): void {
  if (Atomics.wait(worker.loadedFlag, 0, 0, 60_000) === 'timed-out') throw new Error('a tfjs-backend-wasm pthread worker did not load in 60 s');
  const loaded = workerThreads.receiveMessageOnPort(worker.loadedPort);
  worker.loadedPort.close();
  worker.onmessage({ data: loaded?.message });
}

/** Runs `body` with the glue seeing `workerClass` as worker_threads' Worker (it reads it once, at start-up). */
function withWorkerClass(workerClass: new () => NodeWorker, body: () => void): void {
  const real = workerThreads.Worker;
  const global = globalThis as { Worker?: unknown };
  const hadGlobal = 'Worker' in global;
  const previousGlobal = global.Worker;
  workerThreads.Worker = workerClass as unknown as typeof workerThreads.Worker;
  try {
    body();
  } finally {
    workerThreads.Worker = real;
    // The glue sets a global Worker for itself; it only reads it while starting.
    if (hadGlobal) global.Worker = previousGlobal;
    else delete global.Worker;
  }
}

/**
 * The multi-threaded SIMD module of tfjs-backend-wasm with its pthread pool loaded, ready when this returns. tfjs
 * sizes its XNNPACK thread pool as half the logical cores at most (hyper-threads); the glue is told 2·threads cores,
 * so that `threads` is what the pool gets.
 */
export function instantiateThreaded(dir: string, threads: number): EmscriptenModule {
  const glue = join(dir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const factory = require(glue) as EmscriptenFactory;
  const { wasmWorkerContents } = require(join(dir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  const compiled = new WebAssemblyApi.Module(readFileSync(join(dir, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm')));
  const config: Partial<EmscriptenModule> = {
    mainScriptUrlOrBlob: glue,
    instantiateWasm(imports, receive) {
      imports.env['emscripten_num_logical_cores'] = () => 2 * threads;
      const instance = new WebAssemblyApi.Instance(compiled, imports);
      receive(instance, compiled);
      return instance.exports;
    },
  };
  // The packaged worker code escapes its newlines for a Blob; as an eval'd script they must stay escaped.
  const workerCode = wasmWorkerContents.replace(/\n/g, '\\n');
  withWorkerClass(syncLoadingWorkerClass(workerCode), () => void factory(config as EmscriptenModule).catch(() => {}));
  for (const worker of [...(config.PThread?.unusedWorkers ?? [])]) awaitLoaded(worker as SyncLoadingWorker);
  return withTfjsApi(config as EmscriptenModule);
}
