import { allocTyped, type TypedArray } from '../../dtype.js';
import type { ArrayRef } from '../../engine/engine.js';
import { float32ToHalf, fromHalfBits, halfToFloat32 } from '../../float16.js';
import { isContiguous, sizeOf } from '../../shape.js';
import { contiguousView, forEachStrided, wholeView } from './host-buffer.js';

export function readRegion(src: ArrayRef): TypedArray {
  if (isContiguous(src.shape, src.strides)) return contiguousView(src).slice();
  const out = allocTyped(src.dtype, sizeOf(src.shape));
  const storage = wholeView(src);
  forEachStrided(src, (s, i) => (out[i] = storage[s]!));
  return out;
}

export function writeRegion(dst: ArrayRef, src: TypedArray): void {
  if (isContiguous(dst.shape, dst.strides)) {
    contiguousView(dst).set(src);
    return;
  }
  const storage = wholeView(dst);
  forEachStrided(dst, (s, i) => (storage[s] = src[i]!));
}

export function copyRegion(dst: ArrayRef, src: ArrayRef): void {
  // Reading first makes overlapping regions of one buffer safe.
  writeRegion(dst, readRegion(src));
}

export function fillRegion(dst: ArrayRef, value: number): void {
  const view = contiguousView(dst);
  if (dst.dtype === 'float16') view.fill(float32ToHalf([value])[0]!);
  else if (dst.dtype === 'int32') view.fill(Math.trunc(value));
  else view.fill(value);
}

/** Values of a contiguous region as float32 (float16 decoded, int32 converted). */
export function asFloat32(ref: ArrayRef): Float32Array {
  const view = contiguousView(ref);
  if (ref.dtype === 'float32') return view as Float32Array;
  if (ref.dtype === 'float16') return halfToFloat32(view as Uint16Array);
  return Float32Array.from(view);
}

/** Stores float values into a contiguous region of any dtype (rounding for float16, truncation for int32). */
export function storeValues(dst: ArrayRef, values: ArrayLike<number>): void {
  const view = contiguousView(dst);
  if (dst.dtype === 'float16') float32ToHalf(values, view as Uint16Array);
  else if (dst.dtype === 'int32') for (let i = 0; i < view.length; i++) view[i] = Math.trunc(values[i]!);
  else view.set(values);
}

/** count[0] += the NaN and ±Inf values of the contiguous float region `x` (float16 by its exponent bits). */
export function countNonFinite(x: ArrayRef, count: ArrayRef): void {
  const view = contiguousView(x);
  let n = 0;
  if (x.dtype === 'float16') for (const bits of view) n += (bits & 0x7c00) === 0x7c00 ? 1 : 0;
  else for (const v of view) n += Number.isFinite(v) ? 0 : 1;
  contiguousView(count)[0]! += n;
}

export function castRegion(dst: ArrayRef, src: ArrayRef): void {
  const view = contiguousView(src);
  const values = src.dtype === 'float16' ? Array.from(view, fromHalfBits) : view;
  storeValues(dst, values);
}
