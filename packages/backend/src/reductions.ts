import { activeEngine, contiguousRefs, requireFloat } from './checks.js';
import type { GPUArray } from './gpuarray/gpu-array.js';

/** Whole-array sum as a host number. */
export function sum(x: GPUArray): number {
  requireFloat('gpuarray.sum', x);
  return activeEngine().reduce('sum', contiguousRefs('gpuarray.sum', x)[0]!);
}

export function minimum(x: GPUArray): number {
  requireFloat('gpuarray.minimum', x);
  return activeEngine().reduce('min', contiguousRefs('gpuarray.minimum', x)[0]!);
}

export function maximum(x: GPUArray): number {
  requireFloat('gpuarray.maximum', x);
  return activeEngine().reduce('max', contiguousRefs('gpuarray.maximum', x)[0]!);
}
