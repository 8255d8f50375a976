import { requireFloat } from '../checks.js';
import { BackendError, fmtShape } from '../errors.js';
import type { GPUArray } from '../gpuarray/gpu-array.js';

/** A size, stride, pad or dilation: one number for every spatial axis, or one per axis. */
export type SpatialParam = number | readonly number[];

/** Spatial axes of the arrays these ops take: 4-D NCHW. */
export const SPATIAL_AXES = 2;

/** One integer ≥ `min` per spatial axis. */
export function perAxis(op: string, name: string, value: SpatialParam, min: number): number[] {
  const list = typeof value === 'number' ? new Array<number>(SPATIAL_AXES).fill(value) : [...value];
  if (list.length !== SPATIAL_AXES || list.some((v) => !Number.isInteger(v) || v < min)) {
    const got = typeof value === 'number' ? String(value) : `[${value.join(', ')}]`;
    throw new BackendError(op, `${name} must be an integer ≥ ${min} or ${SPATIAL_AXES} of them, got ${got}`);
  }
  return list;
}

export function requireNCHW(op: string, what: string, a: GPUArray): void {
  if (a.ndim !== SPATIAL_AXES + 2) {
    throw new BackendError(op, `${what} must be 4-D (N, C, H, W), got ${fmtShape(a.shape)}`);
  }
}

/** 4-D float data and weights of one dtype. */
export function requireDataAndWeights(op: string, data: GPUArray, W: GPUArray): void {
  requireNCHW(op, 'data', data);
  requireNCHW(op, 'W', W);
  requireFloat(op, data, W);
}

export function requireGroups(op: string, groups: number, ...maps: [string, number][]): void {
  if (!Number.isInteger(groups) || groups < 1) throw new BackendError(op, `groups must be a positive integer, got ${groups}`);
  for (const [what, n] of maps) {
    if (n % groups !== 0) throw new BackendError(op, `${what} (${n}) is not divisible by groups (${groups})`);
  }
}

/** A bias (or its gradient) holds one value per output map, in any shape such as (1, C, 1, 1) or (C,). */
export function requireBias(op: string, what: string, bias: GPUArray, maps: number, like: GPUArray): void {
  if (bias.size !== maps) throw new BackendError(op, `${what} ${fmtShape(bias.shape)} must hold ${maps} values, one per output map`);
  requireFloat(op, like, bias);
}

/** Throws unless every spatial output size is at least 1; `detail` describes the problem, asked only on failure. */
export function requirePositiveOutput(op: string, outShape: readonly number[], detail: () => string): void {
  for (let a = 2; a < outShape.length; a++) {
    if (outShape[a]! < 1) throw new BackendError(op, `${detail()} gives an empty output ${fmtShape(outShape)}`);
  }
}
