import type { DeviceBuffer } from '../engine/engine.js';
import type { EngineContext } from '../engine/registry.js';

/** A pooled device buffer shared by an array and its views; returned to the pool when the last one is disposed. */
export class Storage {
  private refs = 1;

  constructor(
    readonly ctx: EngineContext,
    readonly buffer: DeviceBuffer,
  ) {}

  get released(): boolean {
    return this.refs === 0;
  }

  retain(): this {
    this.refs++;
    return this;
  }

  releaseRef(): void {
    if (--this.refs === 0) this.ctx.pool.release(this.buffer);
  }
}
