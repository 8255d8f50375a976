import { checkDType, type DType } from '../dtype.js';
import { BackendError, fmtShape } from '../errors.js';
import { describeValue } from '../describe-value.js';
import { HostArray } from '../host-array.js';
import { normAxis, sameShape, validShape } from '../shape.js';
import { GPUArray } from './gpu-array.js';
import { SharedArray } from './shared-array.js';

export function empty(shape: readonly number[], dtype: DType = 'float32'): GPUArray {
  // No copy here: the array copies the shape itself, or shares it when it is another array's (frozen) shape.
  return GPUArray.empty(validShape('gpuarray.empty', shape), checkDType('gpuarray.empty', dtype));
}

export function zeros(shape: readonly number[], dtype: DType = 'float32'): GPUArray {
  return empty(shape, dtype).fill(0);
}

export function toGpu(host: HostArray): GPUArray {
  if (!(host instanceof HostArray)) {
    const hint = (host as unknown) instanceof GPUArray ? ' (it is on the device already)' : ' (make one with HostArray.from(values, { shape }))';
    throw new BackendError('gpuarray.toGpu', `expects a HostArray, got ${describeValue(host)}${hint}`);
  }
  return empty(host.shape, host.dtype).set(host);
}

/** dest null → a fresh contiguous copy of src; else dest.set(src). */
export function copy(dest: GPUArray | null, src: GPUArray): GPUArray {
  return dest === null ? src.copy() : dest.set(src);
}

/** Numpy concatenate into a new contiguous array. */
export function concatenate(arrays: readonly GPUArray[], axis: number, out?: GPUArray): GPUArray {
  const op = 'gpuarray.concatenate';
  if (arrays.length === 0) throw new BackendError(op, 'needs at least one array');
  const first = arrays[0]!;
  const ax = normAxis(op, axis, first.ndim);
  for (const a of arrays) {
    const compatible =
      a.dtype === first.dtype && a.ndim === first.ndim && a.shape.every((d, i) => i === ax || d === first.shape[i]);
    if (!compatible) {
      throw new BackendError(op, `cannot join ${arrays.map((x) => `${fmtShape(x.shape)} ${x.dtype}`).join(', ')} on axis ${axis}`);
    }
  }
  const shape = [...first.shape];
  shape[ax] = arrays.reduce((s, a) => s + a.shape[ax]!, 0);
  if (out && (!sameShape(out.shape, shape) || out.dtype !== first.dtype)) {
    throw new BackendError(op, `out ${fmtShape(out.shape)} ${out.dtype} does not match the result ${fmtShape(shape)} ${first.dtype}`);
  }
  const result = out ?? empty(shape, first.dtype);
  let start = 0;
  for (const a of arrays) {
    const part = result.slice(...shape.map((_, i) => (i === ax ? ([start, start + a.shape[ax]!] as const) : null)));
    part.set(a);
    part.dispose();
    start += a.shape[ax]!;
  }
  return result;
}

/** Splits into new arrays whose sizes along `axis` are `sections` (sizes, not indices). */
export function split(array: GPUArray, sections: readonly number[], axis: number): GPUArray[] {
  const op = 'gpuarray.split';
  const ax = normAxis(op, axis, array.ndim);
  const total = sections.reduce((s, n) => s + n, 0);
  if (sections.some((n) => !Number.isInteger(n) || n < 0) || total !== array.shape[ax]) {
    throw new BackendError(op, `sections [${sections.join(', ')}] do not sum to ${array.shape[ax]} on axis ${axis} of ${fmtShape(array.shape)}`);
  }
  let start = 0;
  return sections.map((n) => {
    const view = array.slice(...array.shape.map((_, i) => (i === ax ? ([start, start + n] as const) : null)));
    start += n;
    const part = view.copy();
    view.dispose();
    return part;
  });
}

/** PuzzleLib tile: `times` copies concatenated along `axis` (not numpy's tile). */
export function tile(array: GPUArray, times: number, axis: number): GPUArray {
  if (!Number.isInteger(times) || times < 1) throw new BackendError('gpuarray.tile', `times must be a positive integer, got ${times}`);
  return concatenate(new Array<GPUArray>(times).fill(array), axis);
}

export { GPUArray, SharedArray };
