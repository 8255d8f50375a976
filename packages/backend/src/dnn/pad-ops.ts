import { contiguousRefs, requireFloat } from '../checks.js';
import type { PadWidths } from '../engine/tensor-ops.js';
import { BackendError, fmtShape } from '../errors.js';
import type { GPUArray } from '../gpuarray/gpu-array.js';
import { empty } from '../gpuarray/gpuarray.js';
import { dnnOp } from './require-dnn.js';

export type { PadWidths };

/** (l, r) for 1-D; (up, bottom, left, right) for 2-D, as PuzzleLib orders them. */
export type Pad1d = readonly [number, number];
export type Pad2d = readonly [number, number, number, number];

const pairs1d = ([l, r]: Pad1d): PadWidths => [[l, r]];
const pairs2d = ([u, b, l, r]: Pad2d): PadWidths => [[u, b], [l, r]];

/** Checks the rank and that every pad width is a non-negative integer. */
function checkPads(op: string, a: GPUArray, ndim: number, pads: PadWidths): void {
  if (a.ndim !== ndim) throw new BackendError(op, `needs ${ndim}-D data, got ${fmtShape(a.shape)}`);
  if (pads.flat().some((p) => !Number.isInteger(p) || p < 0)) throw new BackendError(op, `pads must be non-negative integers, got [${pads.flat().join(', ')}]`);
}

/** Shape after adding (sign 1) or removing (sign −1) the pads on the trailing dims. */
function paddedShape(shape: readonly number[], pads: PadWidths, sign: 1 | -1): number[] {
  const lead = shape.length - pads.length;
  return shape.map((d, i) => (i < lead ? d : d + sign * (pads[i - lead]![0] + pads[i - lead]![1])));
}

function reflect(op: string, data: GPUArray, pads: PadWidths): GPUArray {
  checkPads(op, data, pads.length + 2, pads);
  requireFloat(op, data);
  const lead = data.ndim - pads.length;
  pads.forEach(([l, r], i) => {
    if (data.shape[lead + i]! <= Math.max(l, r)) {
      throw new BackendError(op, `reflect pads (${l}, ${r}) need an axis longer than ${Math.max(l, r)}, got ${fmtShape(data.shape)}`);
    }
  });
  const run = dnnOp(op, 'reflectPad');
  const [x] = contiguousRefs(op, data);
  const out = empty(paddedShape(data.shape, pads, 1), data.dtype);
  run(x!, out.ref(op), pads);
  return out;
}

function reflectBackward(op: string, grad: GPUArray, pads: PadWidths): GPUArray {
  checkPads(op, grad, pads.length + 2, pads);
  requireFloat(op, grad);
  const shape = paddedShape(grad.shape, pads, -1);
  const lead = grad.ndim - pads.length;
  if (pads.some(([l, r], i) => shape[lead + i]! <= Math.max(l, r))) {
    throw new BackendError(op, `grad ${fmtShape(grad.shape)} is too small for reflect pads [${pads.flat().join(', ')}]`);
  }
  const run = dnnOp(op, 'reflectPadBackward');
  const [g] = contiguousRefs(op, grad);
  const out = empty(shape, grad.dtype);
  run(g!, out.ref(op), pads);
  return out;
}

/** numpy 'reflect' padding (edge not repeated) of (N, C, L) data by (l, r); needs L > max(l, r). */
export function reflectPad1d(data: GPUArray, pad: Pad1d): GPUArray {
  return reflect('Dnn.reflectPad1d', data, pairs1d(pad));
}

/** Adjoint of reflectPad1d: (N, C, L + l + r) grad → (N, C, L). */
export function reflectPad1dBackward(grad: GPUArray, pad: Pad1d): GPUArray {
  return reflectBackward('Dnn.reflectPad1dBackward', grad, pairs1d(pad));
}

/** numpy 'reflect' padding of (N, C, H, W) data by (up, bottom, left, right). */
export function reflectPad2d(data: GPUArray, pad: Pad2d): GPUArray {
  return reflect('Dnn.reflectPad2d', data, pairs2d(pad));
}

export function reflectPad2dBackward(grad: GPUArray, pad: Pad2d): GPUArray {
  return reflectBackward('Dnn.reflectPad2dBackward', grad, pairs2d(pad));
}

/** The interior block of a padded array, as slice ranges. */
function interior(shape: readonly number[], pads: PadWidths): ([number, number] | null)[] {
  const lead = shape.length - pads.length;
  return shape.map((d, i) => (i < lead ? null : [pads[i - lead]![0], d - pads[i - lead]![1]]));
}

/** Pads the trailing dims of data with a constant (one (before, after) pair per padded dim). */
export function constantPad(data: GPUArray, pads: PadWidths, fillValue = 0): GPUArray {
  const op = 'Dnn.constantPad';
  if (pads.length > data.ndim) throw new BackendError(op, `${pads.length} pad pairs for ${fmtShape(data.shape)}`);
  checkPads(op, data, data.ndim, pads);
  const out = empty(paddedShape(data.shape, pads, 1), data.dtype).fill(fillValue);
  const inner = out.slice(...interior(out.shape, pads));
  inner.set(data);
  inner.dispose();
  return out;
}

/** Adjoint of constantPad: the interior block of the grad, as a new array. */
export function constantPadBackward(grad: GPUArray, pads: PadWidths): GPUArray {
  const op = 'Dnn.constantPadBackward';
  if (pads.length > grad.ndim) throw new BackendError(op, `${pads.length} pad pairs for ${fmtShape(grad.shape)}`);
  checkPads(op, grad, grad.ndim, pads);
  const shape = paddedShape(grad.shape, pads, -1);
  if (shape.some((d) => d < 0)) throw new BackendError(op, `grad ${fmtShape(grad.shape)} is smaller than pads [${pads.flat().join(', ')}]`);
  const inner = grad.slice(...interior(grad.shape, pads));
  const out = inner.copy();
  inner.dispose();
  return out;
}
