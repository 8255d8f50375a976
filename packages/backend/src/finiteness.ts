import { activeEngine, contiguousRefs, requireFloat } from './checks.js';
import { BackendError, fmtShape } from './errors.js';
import { GPUArray } from './gpuarray/gpu-array.js';

/**
 * Adds the number of NaN and ±Inf values of the float array `x` to `counter`, an int32 array of one element, on the
 * device: nothing waits until the counter is read. A strided view is counted through a contiguous copy.
 */
export function countNonFinite(x: GPUArray, counter: GPUArray): void {
  requireFloat('countNonFinite', x);
  if (counter.dtype !== 'int32' || counter.size !== 1) {
    throw new BackendError('countNonFinite', `the counter must be one int32 element, got ${counter.dtype} ${fmtShape(counter.shape)}`);
  }
  const src = x.contiguous ? x : x.copy();
  try {
    const [xRef, countRef] = contiguousRefs('countNonFinite', src, counter);
    activeEngine().countNonFinite(xRef!, countRef!);
  } finally {
    if (src !== x) src.dispose();
  }
}

/** How many NaN and ±Inf values the float arrays among `arrays` hold together: one launch each, one read of the sum. */
export function nonFiniteCount(arrays: readonly GPUArray[]): number {
  const counter = GPUArray.empty([1], 'int32').fill(0);
  try {
    for (const a of arrays) if (a.dtype !== 'int32') countNonFinite(a, counter);
    return counter.get().data[0]!;
  } finally {
    counter.dispose();
  }
}
