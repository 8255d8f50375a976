import { BackendError } from '../errors.js';
import { MemoryPool } from '../memory-pool.js';
import { cudaFactory } from '../engines/cuda/cuda-factory.js';
import { tfjsFactory } from '../engines/tfjs/tfjs-factory.js';
import type { Engine } from './engine.js';

export type EngineName = 'cuda' | 'tfjs';

/** `simulator`: the engine runs, but on a CPU model of its device (the CUDA simulator), never chosen automatically. */
export type Probe = { ok: true; simulator?: boolean } | { ok: false; reason: string };

export interface EngineFactory {
  readonly name: EngineName;
  /** Cheap check whether this engine can run here; never throws. */
  probe(): Probe;
  create(): Engine;
}

export interface EngineContext {
  /** Mutable only for `withEngineWrapped`; arrays keep their context, so a wrapper sees their ops too. */
  engine: Engine;
  readonly pool: MemoryPool;
}

const factories: Record<EngineName, EngineFactory> = { cuda: cudaFactory, tfjs: tfjsFactory };
let current: EngineContext | null = null;

function isEngineName(name: string): name is EngineName {
  return name === 'cuda' || name === 'tfjs';
}

/** Chooses the engine; arrays made on a previous engine cannot be used afterwards. */
export function setBackend(name: EngineName): void {
  if (!isEngineName(name)) throw new BackendError('setBackend', `unknown engine '${name as string}' (expected cuda or tfjs)`);
  if (current?.engine.name === name) return;
  const probe = factories[name].probe();
  if (!probe.ok) throw new BackendError('setBackend', `engine ${name} is unavailable: ${probe.reason}`);
  current?.pool.freeHeld();
  const engine = factories[name].create();
  current = { engine, pool: new MemoryPool(engine) };
}

export function getBackend(): { name: EngineName; device: string } {
  const { engine } = context();
  return { name: engine.name, device: engine.device };
}

export function availableBackends(): EngineName[] {
  return (Object.keys(factories) as EngineName[]).filter((n) => factories[n].probe().ok);
}

/** Why each engine can or cannot run here. */
export function backendStatus(): Record<EngineName, Probe> {
  return { cuda: factories.cuda.probe(), tfjs: factories.tfjs.probe() };
}

/**
 * Runs `body` with the active engine seen through `wrap` (the pool keeps the bare engine). The context object stays
 * the same, so arrays made before remain usable and their ops pass through the wrapper.
 */
export function withEngineWrapped<T>(wrap: (engine: Engine) => Engine, body: () => T): T {
  const ctx = context();
  const bare = ctx.engine;
  ctx.engine = wrap(bare);
  try {
    return body();
  } finally {
    ctx.engine = bare;
  }
}

/**
 * The active engine and its pool, chosen on first use: PUZZLE_BACKEND, else cuda when it runs on a GPU, else tfjs.
 * The CUDA simulator (PUZZLE_CUDA_SIM=1) is only ever chosen by name: it checks kernels, it does not speed them up.
 */
export function context(): EngineContext {
  if (current) return current;
  const requested = process.env['PUZZLE_BACKEND'];
  if (requested) {
    if (!isEngineName(requested)) throw new BackendError('PUZZLE_BACKEND', `unknown engine '${requested}' (expected cuda or tfjs)`);
    setBackend(requested);
    return current!;
  }
  const cuda = factories.cuda.probe();
  const onGpu = cuda.ok && !cuda.simulator;
  setBackend(onGpu ? 'cuda' : 'tfjs');
  if (process.env['PUZZLE_QUIET'] !== '1') {
    const why = onGpu ? '' : cuda.ok ? ' (cuda is the simulator, chosen only by PUZZLE_BACKEND=cuda or setBackend)' : ` (cuda unavailable: ${cuda.reason})`;
    process.stderr.write(`[puzzle] engine: ${current!.engine.name} on ${current!.engine.device}${why}\n`);
  }
  return current!;
}
