import { context } from './engine/registry.js';
import type { PoolStats } from './memory-pool.js';

/** Statistics of the active engine's memory pool; `liveBuffers` is the count tests compare against a baseline. */
export function memoryStats(): PoolStats {
  return context().pool.stats();
}

/** Releases the pool's cached blocks to the engine. */
export function freeHeld(): void {
  context().pool.freeHeld();
}

export function synchronize(): void {
  context().engine.synchronize();
}
