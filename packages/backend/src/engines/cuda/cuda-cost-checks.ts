import type { ArrayRef } from '../../engine/engine.js';
import { BackendError, fmtShape } from '../../errors.js';
import { isContiguous } from '../../shape.js';
import { countOf } from './cuda-buffer.js';

// The native cost kernels form an address from every extent they are given and check none of them, so each op checks
// its arrays against the kernel's geometry first: a mismatch caught here would be an out-of-bounds access on the GPU.

/** Throws unless every extent is a non-negative integer. */
export function requireExtents(op: string, extents: Record<string, number>): void {
  for (const [name, value] of Object.entries(extents)) {
    if (!Number.isSafeInteger(value) || value < 0) throw new BackendError(op, `${name} must be a non-negative integer, got ${value}`);
  }
}

/** Throws unless `ref` is a contiguous `dtype` array of `size` elements. */
export function requireArray(op: string, what: string, ref: ArrayRef, dtype: 'float32' | 'int32', size: number): void {
  if (ref.dtype !== dtype) throw new BackendError(op, `${what} must be ${dtype}, got ${ref.dtype} ${fmtShape(ref.shape)}`);
  if (!isContiguous(ref.shape, ref.strides)) throw new BackendError(op, `${what} must be contiguous, got strides ${fmtShape(ref.strides)}`);
  const count = countOf(ref);
  if (count !== size) throw new BackendError(op, `${what} ${fmtShape(ref.shape)} has ${count} elements, expected ${size}`);
}
