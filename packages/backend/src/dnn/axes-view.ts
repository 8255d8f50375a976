import { contiguousRefs } from '../checks.js';
import type { ArrayRef } from '../engine/engine.js';
import { BackendError, fmtShape } from '../errors.js';
import type { GPUArray } from '../gpuarray/gpu-array.js';
import { contiguousStrides, sizeOf } from '../shape.js';

/** Data must be (N, C, ...). */
export function requireMaps(op: string, data: GPUArray, minDims = 2): void {
  if (data.ndim < minDims) throw new BackendError(op, `needs (N, C, ...) data of at least ${minDims} dims, got ${fmtShape(data.shape)}`);
}

/** The engine ref of a contiguous array seen with another shape of the same size (no view object to dispose). */
export function refAs(op: string, a: GPUArray, shape: readonly number[]): ArrayRef {
  const ref = contiguousRefs(op, a)[0]!;
  if (sizeOf(shape) !== a.size) throw new BackendError(op, `cannot view ${fmtShape(a.shape)} as ${fmtShape(shape)}`);
  return { ...ref, shape, strides: contiguousStrides(shape) };
}

/** (N, C, S) with the spatial dims folded; perActivation folds them into the channels instead: (N, C·S, 1). */
export function channelShape(data: GPUArray, perActivation = false): [number, number, number] {
  const [n = 1, c = 1, ...rest] = data.shape;
  const s = sizeOf(rest);
  return perActivation ? [n, c * s, 1] : [n, c, s];
}
