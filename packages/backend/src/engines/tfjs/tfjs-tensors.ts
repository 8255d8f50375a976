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

type HeapBackend = { typedArrayFromHeap?: (t: Tensor) => Float32Array | Int32Array | Uint8Array };

/**
 * A tensor's values, to be copied out at once. On the wasm backend this is a view of the wasm heap rather than
 * dataSync's fresh copy (a third of a small op's host time); it is valid until the next tfjs call.
 */
export function valuesOf(tf: Tf, t: Tensor): Float32Array | Int32Array | Uint8Array {
  const backend = tf.engine().backend as HeapBackend;
  if (backend.typedArrayFromHeap) return backend.typedArrayFromHeap(t);
  return t.dataSync() as Float32Array | Int32Array | Uint8Array;
}

/** Writes a tensor's values into a contiguous region of the same element count. */
export function storeTensor(tf: Tf, dst: ArrayRef, t: Tensor): void {
  storeValues(dst, valuesOf(tf, t));
}

/** Runs `compute` in a tidy scope and stores each result into its region. */
export function computeInto(tf: Tf, outs: readonly ArrayRef[], compute: () => Tensor[]): void {
  tf.tidy(() => {
    const results = compute();
    // Every input was copied into a tensor by now, so outputs that alias inputs are safe to write in turn.
    outs.forEach((o, i) => storeTensor(tf, o, results[i]!));
    return [];
  });
}
