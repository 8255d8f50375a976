import { BackendError } from './errors.js';
import type { GPUArray } from './gpuarray/gpu-array.js';
import { zeros } from './gpuarray/gpuarray.js';

/**
 * The device-side error of a cost (PuzzleLib's devErr and accumErr): two float32 slots that every cost kernel given
 * this accumulator writes without the host waiting: `last` is the scaled error of the latest kernel, `total` the sum
 * since the last `resetTotal`. Reading them is the only synchronisation, so a training loop that asks for its error
 * every few steps pays for it only then.
 */
export class ErrorAccumulator {
  /** [last, total], float32. */
  readonly slots: GPUArray;

  constructor() {
    this.slots = zeros([2], 'float32');
  }

  /** Both slots in one device-to-host copy. */
  read(): { last: number; total: number } {
    if (this.slots.isDisposed) throw new BackendError('ErrorAccumulator.read', 'the accumulator was disposed');
    const [last, total] = this.slots.get().data as Float32Array;
    return { last: last!, total: total! };
  }

  /** Starts a new sum; queued on the device like the kernels, so it needs no synchronisation either. */
  resetTotal(): void {
    const total = this.slots.slice([1, 2]);
    try {
      total.fill(0);
    } finally {
      total.dispose();
    }
  }

  dispose(): void {
    this.slots.dispose();
  }
}
