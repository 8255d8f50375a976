// Memory facade (PuzzleLib Backend/Memory): transpose, moveaxis, swapaxes, depthConcat, depthSplit.
import { dnnOp } from './dnn/require-dnn.js';
import { BackendError, fmtShape } from './errors.js';
import type { GPUArray } from './gpuarray/gpu-array.js';
import { empty, zeros } from './gpuarray/gpuarray.js';
import { normAxis } from './shape.js';

/** numpy transpose into a new contiguous array; `axes` defaults to reversing them. Any dtype, any strides. */
export function transpose(data: GPUArray, axes?: readonly number[]): GPUArray {
  const op = 'Memory.transpose';
  const perm = axes ? axes.map((a) => normAxis(op, a, data.ndim)) : [...data.shape.keys()].reverse();
  if (perm.length !== data.ndim || new Set(perm).size !== perm.length) {
    throw new BackendError(op, `axes [${axes?.join(', ')}] are not a permutation of the ${data.ndim} dims of ${fmtShape(data.shape)}`);
  }
  const run = dnnOp(op, 'transpose');
  const source = data.contiguous ? data : data.copy();
  const out = empty(perm.map((a) => data.shape[a]!), data.dtype);
  run(source.ref(op), out.ref(op), perm);
  if (source !== data) source.dispose();
  return out;
}

/** numpy moveaxis: axis `src` moves to position `dst`, the others keep their order. */
export function moveaxis(data: GPUArray, src: number, dst: number): GPUArray {
  const op = 'Memory.moveaxis';
  const [s, d] = [normAxis(op, src, data.ndim), normAxis(op, dst, data.ndim)];
  const rest = [...data.shape.keys()].filter((a) => a !== s);
  rest.splice(d, 0, s);
  return transpose(data, rest);
}

/** numpy swapaxes. */
export function swapaxes(data: GPUArray, axis1: number, axis2: number): GPUArray {
  const op = 'Memory.swapaxes';
  const [a, b] = [normAxis(op, axis1, data.ndim), normAxis(op, axis2, data.ndim)];
  const perm = [...data.shape.keys()];
  [perm[a], perm[b]] = [perm[b]!, perm[a]!];
  return transpose(data, perm);
}

/** Where each 4-D input sits in the depth-concatenated output: channel offset and centred spatial block. */
function placements(op: string, shapes: readonly (readonly number[])[]) {
  if (shapes.length === 0) throw new BackendError(op, 'needs at least one array');
  if (shapes.some((s) => s.length !== 4 || s[0] !== shapes[0]![0])) {
    throw new BackendError(op, `needs 4-D arrays of one batch size, got ${shapes.map((s) => fmtShape(s)).join(', ')}`);
  }
  const [maxH, maxW] = [2, 3].map((i) => Math.max(...shapes.map((s) => s[i]!)));
  let channel = 0;
  const blocks = shapes.map(([, c, h, w]) => {
    const [top, left] = [Math.floor((maxH! - h!) / 2), Math.floor((maxW! - w!) / 2)];
    const ranges: [number, number][] = [[channel, channel + c!], [top, top + h!], [left, left + w!]];
    channel += c!;
    return ranges;
  });
  return { shape: [shapes[0]![0]!, channel, maxH!, maxW!], blocks };
}

/** Concatenates 4-D arrays on the channels into a zero-filled (N, ΣC, maxH, maxW), each centred spatially. */
export function depthConcat(arrays: readonly GPUArray[]): GPUArray {
  const op = 'Memory.depthConcat';
  const { shape, blocks } = placements(op, arrays.map((a) => a.shape));
  if (arrays.some((a) => a.dtype !== arrays[0]!.dtype)) throw new BackendError(op, `dtype mismatch: ${arrays.map((a) => a.dtype).join(', ')}`);
  const out = zeros(shape, arrays[0]!.dtype);
  arrays.forEach((a, i) => {
    const block = out.slice(null, ...blocks[i]!);
    block.set(a);
    block.dispose();
  });
  return out;
}

/** Inverse of depthConcat: crops the grad back into arrays shaped like `inputs` (arrays or shapes). */
export function depthSplit(grad: GPUArray, inputs: readonly (GPUArray | readonly number[])[]): GPUArray[] {
  const op = 'Memory.depthSplit';
  const shapes = inputs.map((x) => (Array.isArray(x) ? (x as readonly number[]) : (x as GPUArray).shape));
  const { shape, blocks } = placements(op, shapes);
  if (fmtShape(shape) !== fmtShape(grad.shape)) throw new BackendError(op, `grad ${fmtShape(grad.shape)} does not match the concatenated shape ${fmtShape(shape)}`);
  return blocks.map((ranges) => {
    const block = grad.slice(null, ...ranges);
    const part = block.copy();
    block.dispose();
    return part;
  });
}
