import { BackendError, fmtShape } from './errors.js';

export type Shape = readonly number[];

// Indexed loops rather than for-of: these run for every array an op touches, and the iterator costs more than the
// multiplications.

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function isContiguous(shape: Shape, strides: Shape): boolean {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== s) return false;
    s *= shape[i]!;
  }
  return true;
}

/** `shape` itself once every dim is a non-negative integer. */
export function validShape(op: string, shape: Shape): Shape {
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (!Number.isInteger(d) || d < 0) throw new BackendError(op, `invalid shape ${fmtShape(shape)}`);
  }
  return shape;
}

/** A validated copy of `shape`. */
export function checkShape(op: string, shape: Shape): number[] {
  return [...validShape(op, shape)];
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Resolves one -1 in a reshape target against the element count. */
export function resolveReshape(op: string, from: Shape, to: Shape): number[] {
  const size = sizeOf(from);
  let unknowns = 0;
  let known = 1;
  for (const d of to) {
    if (d === -1) unknowns++;
    else known *= d;
  }
  if (unknowns > 1) throw new BackendError(op, `only one -1 allowed, got ${fmtShape(to)}`);
  const out = to.map((d) => (d === -1 ? (known === 0 ? 0 : size / known) : d));
  if (out.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(out) !== size) {
    throw new BackendError(op, `cannot reshape ${fmtShape(from)} into ${fmtShape(to)}`);
  }
  return out;
}

export function normAxis(op: string, axis: number, ndim: number): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(a) || a < 0 || a >= ndim) throw new BackendError(op, `axis ${axis} out of range for ${ndim} dims`);
  return a;
}
