import type { DeviceBuffer, Engine } from './engine/engine.js';

export interface PoolStats {
  /** Buffers handed out and not yet released. */
  liveBuffers: number;
  liveBytes: number;
  /** Released buffers cached for reuse. */
  heldBuffers: number;
  heldBytes: number;
  /** Allocations that reached the engine (cache misses). */
  engineAllocations: number;
}

/** Size class: small requests share one bin, larger ones round up to a power of two times 1, 1.25, 1.5 or 1.75. */
export function binSize(nbytes: number): number {
  if (nbytes <= 512) return 512;
  // Every allocation asks this; integer bit arithmetic keeps it off the profile of small training steps.
  const base = nbytes < 2 ** 31 ? 1 << (31 - Math.clz32(nbytes)) : 2 ** Math.floor(Math.log2(nbytes));
  const quarter = base / 4;
  return base + Math.ceil((nbytes - base) / quarter) * quarter;
}

/**
 * A caching allocator over one engine: released blocks wait in their size bin until reused or freed. Over an engine
 * with checked memory (the CUDA simulator) the bins hold exact sizes and a reused block comes back poisoned.
 */
export class MemoryPool {
  private readonly held = new Map<number, DeviceBuffer[]>();
  private live = 0;
  private liveBytes = 0;
  private heldCount = 0;
  private heldBytes = 0;
  private engineAllocations = 0;

  constructor(readonly engine: Engine) {}

  allocate(nbytes: number): DeviceBuffer {
    const checked = this.engine.checkedMemory;
    // Exact sizes where the engine checks bounds; at least one byte, so that every array has an allocation of its own.
    const size = checked ? Math.max(nbytes, 1) : binSize(nbytes);
    const cached = this.held.get(size)?.pop();
    let buffer: DeviceBuffer;
    if (cached) {
      buffer = cached;
      this.heldCount--;
      this.heldBytes -= size;
      checked?.poison(buffer);
    } else {
      buffer = this.allocFromEngine(size);
    }
    this.live++;
    this.liveBytes += size;
    return buffer;
  }

  release(buffer: DeviceBuffer): void {
    const size = buffer.nbytes;
    this.live--;
    this.liveBytes -= size;
    let bin = this.held.get(size);
    if (!bin) this.held.set(size, (bin = []));
    bin.push(buffer);
    this.heldCount++;
    this.heldBytes += size;
  }

  /** Returns every cached block to the engine. */
  freeHeld(): void {
    for (const bin of this.held.values()) for (const b of bin) this.engine.free(b);
    this.held.clear();
    this.heldCount = 0;
    this.heldBytes = 0;
  }

  stats(): PoolStats {
    return {
      liveBuffers: this.live,
      liveBytes: this.liveBytes,
      heldBuffers: this.heldCount,
      heldBytes: this.heldBytes,
      engineAllocations: this.engineAllocations,
    };
  }

  private allocFromEngine(size: number): DeviceBuffer {
    this.engineAllocations++;
    try {
      return this.engine.alloc(size);
    } catch {
      // Out of memory: give the cache back and try once more before failing.
      this.freeHeld();
      return this.engine.alloc(size);
    }
  }
}
