import { itemSize } from '../../dtype.js';
import type { ArrayRef, DeviceBuffer } from '../../engine/engine.js';
import { BackendError } from '../../errors.js';
import { sizeOf } from '../../shape.js';

/** One cudaMalloc allocation. The address is a number: exact for user-space addresses (< 2^53). */
export class CudaBuffer implements DeviceBuffer {
  private live = true;

  constructor(
    readonly address: number,
    readonly nbytes: number,
  ) {}

  get isLive(): boolean {
    return this.live;
  }

  /** Called once cudaFree succeeded; a second free is a bug above the engine. */
  markFreed(): void {
    this.live = false;
  }
}

export function cudaBufferOf(op: string, buffer: DeviceBuffer): CudaBuffer {
  if (!(buffer instanceof CudaBuffer)) throw new BackendError(`cuda.${op}`, 'the buffer was not allocated by the cuda engine');
  return buffer;
}

/** Device address of a region's first element. */
export function addressOf(ref: ArrayRef): number {
  return (ref.buffer as CudaBuffer).address + ref.offset * itemSize(ref.dtype);
}

export function countOf(ref: ArrayRef): number {
  return sizeOf(ref.shape);
}
