// Stand-ins for the native addon and device memory, for testing the cuda engine's TypeScript side without a GPU.
import type { DType } from '../../../dtype.js';
import type { ArrayRef } from '../../../engine/engine.js';
import { contiguousStrides } from '../../../shape.js';
import type { CudaAddon } from '../cuda-addon.js';
import { CudaBuffer } from '../cuda-buffer.js';

export type Call = { name: string; args: unknown[] };

/**
 * An addon whose every function records its call and returns `answer(name)`; `failing` names one that throws like a
 * native failure.
 */
export function recordingAddon(failing?: string, answer: (name: string) => unknown = () => undefined): { addon: CudaAddon; calls: Call[] } {
  const calls: Call[] = [];
  const addon = new Proxy({} as CudaAddon, {
    get: (_target, name: string) => (...args: unknown[]) => {
      calls.push({ name, args });
      if (name === failing) throw Object.assign(new Error('an illegal memory access was encountered'), { code: 'cudaErrorIllegalAddress' });
      return answer(name);
    },
  });
  return { addon, calls };
}

let nextAddress = 1 << 20;

/** A contiguous region of a fake device buffer at a distinct address. */
export function ref(shape: number[], dtype: DType = 'float32'): ArrayRef {
  const count = shape.reduce((p, d) => p * d, 1);
  const buffer = new CudaBuffer(nextAddress, count * 4);
  nextAddress += 1 << 20;
  return { buffer, offset: 0, shape, strides: contiguousStrides(shape), dtype };
}

export const address = (r: ArrayRef): number => (r.buffer as CudaBuffer).address;
