import { BackendError, fmtShape } from '../errors.js';
import type { Shape } from '../shape.js';

/** One item of a slice: [start, stop) (negative wraps), an integer (drops the axis) or null (the whole axis). */
export type SliceRange = readonly [number, number] | number | null;

export interface SliceResult {
  offset: number;
  shape: number[];
  strides: number[];
}

function wrap(i: number, dim: number): number {
  return i < 0 ? i + dim : i;
}

/** PuzzleLib's __getitem__ with basic slices of step 1; missing trailing items take whole axes. */
export function sliceView(shape: Shape, strides: Shape, ranges: readonly SliceRange[]): SliceResult {
  if (ranges.length > shape.length) {
    throw new BackendError('GPUArray.slice', `${ranges.length} indices for shape ${fmtShape(shape)}`);
  }
  let offset = 0;
  const outShape: number[] = [];
  const outStrides: number[] = [];
  shape.forEach((dim, axis) => {
    const r = ranges[axis] ?? null;
    if (r === null) {
      outShape.push(dim);
      outStrides.push(strides[axis]!);
    } else if (typeof r === 'number') {
      const i = wrap(r, dim);
      if (!Number.isInteger(i) || i < 0 || i >= dim) {
        throw new BackendError('GPUArray.slice', `index ${r} out of range for axis ${axis} of ${fmtShape(shape)}`);
      }
      offset += i * strides[axis]!;
    } else {
      const start = wrap(r[0], dim);
      const stop = wrap(r[1], dim);
      if (!Number.isInteger(start) || !Number.isInteger(stop) || start < 0 || stop > dim || start > stop) {
        throw new BackendError('GPUArray.slice', `range [${r[0]}, ${r[1]}) out of bounds for axis ${axis} of ${fmtShape(shape)}`);
      }
      offset += start * strides[axis]!;
      outShape.push(stop - start);
      outStrides.push(strides[axis]!);
    }
  });
  return { offset, shape: outShape, strides: outStrides };
}
