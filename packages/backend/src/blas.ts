import { activeEngine, contiguousRefs, requireFloat, requireSameSize, requireShape } from './checks.js';
import { BackendError, fmtShape } from './errors.js';
import type { GPUArray } from './gpuarray/gpu-array.js';
import { empty, zeros } from './gpuarray/gpuarray.js';

export interface GemmOpts {
  out?: GPUArray;
  transpA?: boolean;
  transpB?: boolean;
  alpha?: number;
  beta?: number;
}

/** out = alpha·op(A)·op(B) + beta·out; transpA and transpB together are an error, as in PuzzleLib. */
export function mulMatrixOnMatrix(A: GPUArray, B: GPUArray, opts: GemmOpts = {}): GPUArray {
  const op = 'Blas.mulMatrixOnMatrix';
  const { transpA = false, transpB = false, alpha = 1, beta = 0 } = opts;
  if (A.ndim !== 2 || B.ndim !== 2) throw new BackendError(op, `needs 2-D matrices, got ${fmtShape(A.shape)} and ${fmtShape(B.shape)}`);
  if (transpA && transpB) throw new BackendError(op, 'transpA and transpB cannot both be set');
  // Indexed rather than destructured: destructuring a frozen shape goes through the iterator, on every product.
  const [ar, ac, br, bc] = [A.shape[0]!, A.shape[1]!, B.shape[0]!, B.shape[1]!];
  const [m, k1] = transpA ? [ac, ar] : [ar, ac];
  const [k2, n] = transpB ? [bc, br] : [br, bc];
  if (k1 !== k2) {
    const how = transpA ? 'Aᵀ·B' : transpB ? 'A·Bᵀ' : 'A·B';
    throw new BackendError(op, `inner dimensions differ for ${how}: A ${fmtShape(A.shape)}, B ${fmtShape(B.shape)}`);
  }
  if (opts.out) requireShape(op, 'out', opts.out, [m, n]);
  requireFloat(op, A, B, ...(opts.out ? [opts.out] : []));
  const out = opts.out ?? empty([m, n], A.dtype);
  const [a, b, o] = contiguousRefs(op, A, B, out);
  activeEngine().gemm(a!, b!, o!, { transpA, transpB, alpha, beta: opts.out ? beta : 0 });
  return out;
}

/** Sums a matrix over axis 0 (cols, one value per column) or axis 1: out = alpha·sum + beta·out. */
export function sumOnMatrix(A: GPUArray, opts: { out?: GPUArray; cols?: boolean; alpha?: number; beta?: number } = {}): GPUArray {
  const op = 'Blas.sumOnMatrix';
  const { cols = true, alpha = 1, beta = 0 } = opts;
  if (A.ndim !== 2) throw new BackendError(op, `needs a 2-D matrix, got ${fmtShape(A.shape)}`);
  const len = cols ? A.shape[1]! : A.shape[0]!;
  if (opts.out) requireShape(op, 'out', opts.out, [len]);
  requireFloat(op, A, ...(opts.out ? [opts.out] : []));
  const out = opts.out ?? zeros([len], A.dtype);
  const [a, o] = contiguousRefs(op, A, out);
  activeEngine().sumOnMatrix(a!, o!, cols, alpha, beta);
  return out;
}

/** In place y += alpha·x (any shapes of equal size); returns y. */
export function toVectorAddVector(y: GPUArray, x: GPUArray, alpha = 1): GPUArray {
  return addVectorToVector(x, y, { out: y, alpha, beta: 1 });
}

/** out = alpha·x + beta·y; out is allocated with x's shape when omitted. */
export function addVectorToVector(x: GPUArray, y: GPUArray, opts: { out?: GPUArray; alpha?: number; beta?: number } = {}): GPUArray {
  const op = 'Blas.addVectorToVector';
  const { alpha = 1, beta = 1 } = opts;
  requireSameSize(op, x, y, ...(opts.out ? [opts.out] : []));
  if (opts.out) requireShape(op, 'out', opts.out, x.shape);
  requireFloat(op, x, y, ...(opts.out ? [opts.out] : []));
  const out = opts.out ?? empty(x.shape, x.dtype);
  const [xr, yr, o] = contiguousRefs(op, x, y, out);
  activeEngine().elementwise({ kind: 'add', out: o!, x: xr!, alpha, y: yr!, beta });
  return out;
}

/** Σ x·y as a host number. */
export function dot(x: GPUArray, y: GPUArray): number {
  const op = 'Blas.dot';
  requireSameSize(op, x, y);
  requireFloat(op, x, y);
  const [xr, yr] = contiguousRefs(op, x, y);
  return activeEngine().dot(xr!, yr!);
}

/** Σ |x| as a host number. */
export function vectorL1Norm(x: GPUArray): number {
  requireFloat('Blas.vectorL1Norm', x);
  return activeEngine().reduce('l1', contiguousRefs('Blas.vectorL1Norm', x)[0]!);
}

export function l2norm(x: GPUArray): number {
  return Math.sqrt(dot(x, x));
}
