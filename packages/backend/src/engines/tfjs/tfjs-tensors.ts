import type { Tensor } from '@tensorflow/tfjs-core';
import type { ArrayRef } from '../../engine/engine.js';
import { sizeOf } from '../../shape.js';
import { contiguousView } from './host-buffer.js';
import type { Tf } from './tfjs-loader.js';
import { asFloat32, storeValues } from './tfjs-memory.js';

/** A tensor over a contiguous region: float dtypes compute as float32, int32 stays int32. */
export function tensorOf(tf: Tf, ref: ArrayRef, shape: readonly number[] = ref.shape): Tensor {
  if (ref.dtype === 'int32') return tf.tensor(contiguousView(ref) as Int32Array, [...shape], 'int32');
  return tf.tensor(asFloat32(ref), [...shape], 'float32');
}

/** A 1-D tensor over a whole contiguous region: elementwise kernels see arrays as flat buffers. */
export function flatTensorOf(tf: Tf, ref: ArrayRef): Tensor {
  return tensorOf(tf, ref, [sizeOf(ref.shape)]);
}

/** Writes a tensor's values into a contiguous region of the same element count. */
export function storeTensor(dst: ArrayRef, t: Tensor): void {
  storeValues(dst, t.dataSync() as Float32Array | Int32Array);
}

/** Runs `compute` in a tidy scope and stores each result into its region. */
export function computeInto(tf: Tf, outs: readonly ArrayRef[], compute: () => Tensor[]): void {
  tf.tidy(() => {
    const results = compute();
    // Read everything before writing so that outputs aliasing inputs are safe.
    const values = results.map((t) => t.dataSync() as Float32Array | Int32Array);
    outs.forEach((o, i) => storeValues(o, values[i]!));
    return [];
  });
}
