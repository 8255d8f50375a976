import { activeEngine, contiguousRefs, requireFloat, requireShape } from './checks.js';
import { BackendError, fmtShape } from './errors.js';
import type { GPUArray } from './gpuarray/gpu-array.js';
import { empty } from './gpuarray/gpuarray.js';
import { normAxis, sizeOf } from './shape.js';

/**
 * Adds a vector to every row (axis 1) or every column (axis 0) of mat (..., n, m); vec has one dim less, its
 * leading dims equal mat's. On axis 1 a vec shorter than m that divides it is tiled.
 */
export function addVecToMat(vec: GPUArray, mat: GPUArray, opts: { axis?: 0 | 1; out?: GPUArray } = {}): GPUArray {
  const op = 'addVecToMat';
  const axis = opts.axis ?? 1;
  if (mat.ndim < 2 || vec.ndim !== mat.ndim - 1) {
    throw new BackendError(op, `vec ${fmtShape(vec.shape)} must have one dim less than mat ${fmtShape(mat.shape)}`);
  }
  const lead = mat.shape.slice(0, -2);
  const n = mat.shape[mat.ndim - 2]!;
  const m = mat.shape[mat.ndim - 1]!;
  const len = vec.shape[vec.ndim - 1]!;
  const leadOk = lead.every((d, i) => d === vec.shape[i]);
  const lenOk = axis === 1 ? len > 0 && m % len === 0 : len === n;
  if (!leadOk || !lenOk) {
    throw new BackendError(op, `vec ${fmtShape(vec.shape)} does not fit mat ${fmtShape(mat.shape)} on axis ${axis}`);
  }
  if (opts.out) requireShape(op, 'out', opts.out, mat.shape);
  requireFloat(op, vec, mat, ...(opts.out ? [opts.out] : []));
  const out = opts.out ?? empty(mat.shape, mat.dtype);
  const [v, a, o] = contiguousRefs(op, vec, mat, out);
  activeEngine().addVecToMat(v!, a!, o!, axis, sizeOf(lead), n, m);
  return out;
}

/** int32 indices of the maxima along `axis` (first index on ties); shape = tensor's without `axis`. */
export function argmax(tensor: GPUArray, axis: number): GPUArray {
  const op = 'argmax';
  const ax = normAxis(op, axis, tensor.ndim);
  requireFloat(op, tensor);
  const outShape = tensor.shape.filter((_, i) => i !== ax);
  const out = empty(outShape, 'int32');
  const [t, o] = contiguousRefs(op, tensor, out);
  activeEngine().argmax(t!, o!, sizeOf(tensor.shape.slice(0, ax)), tensor.shape[ax]!, sizeOf(tensor.shape.slice(ax + 1)));
  return out;
}
