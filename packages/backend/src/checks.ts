import type { DType } from './dtype.js';
import type { ArrayRef, Engine } from './engine/engine.js';
import { context } from './engine/registry.js';
import { BackendError, fmtShape } from './errors.js';
import type { GPUArray } from './gpuarray/gpu-array.js';
import { sameShape } from './shape.js';

/** The active engine, for the facades. */
export function activeEngine(): Engine {
  return context().engine;
}

/** The engine refs of contiguous arrays, checked for use after dispose. */
export function contiguousRefs(op: string, ...arrays: GPUArray[]): ArrayRef[] {
  const refs: ArrayRef[] = [];
  for (const a of arrays) {
    if (!a.contiguous) throw new BackendError(op, `needs contiguous arrays, got a strided view ${fmtShape(a.shape)}`);
    refs.push(a.ref(op));
  }
  return refs;
}

export function requireFloat(op: string, ...arrays: GPUArray[]): DType {
  const dtype = arrays[0]!.dtype;
  for (const a of arrays) {
    if (a.dtype === 'int32') throw new BackendError(op, `needs float arrays, got int32 ${fmtShape(a.shape)}`);
    if (a.dtype !== dtype) throw new BackendError(op, `dtype mismatch: ${dtype} vs ${a.dtype}`);
  }
  return dtype;
}

export function requireSameSize(op: string, ...arrays: GPUArray[]): void {
  const size = arrays[0]!.size;
  for (const a of arrays) {
    if (a.size !== size) {
      throw new BackendError(op, `size mismatch: ${arrays.map((x) => `${fmtShape(x.shape)}`).join(' vs ')}`);
    }
  }
}

export function requireShape(op: string, what: string, a: GPUArray, shape: readonly number[]): void {
  if (!sameShape(a.shape, shape)) {
    throw new BackendError(op, `${what} has shape ${fmtShape(a.shape)}, expected ${fmtShape(shape)}`);
  }
}
