import { contiguousRefs, requireFloat } from '../checks.js';
import type { UpsampleMode } from '../engine/tensor-ops.js';
import { BackendError, fmtShape } from '../errors.js';
import type { GPUArray } from '../gpuarray/gpu-array.js';
import { empty } from '../gpuarray/gpuarray.js';
import { dnnOp } from './require-dnn.js';

export type { UpsampleMode };

function scalesOf(op: string, scale: number | readonly number[], k: number): number[] {
  const scales = typeof scale === 'number' ? new Array<number>(k).fill(scale) : [...scale];
  if (scales.length !== k || scales.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new BackendError(op, `scale must be a positive integer or ${k} of them, got ${JSON.stringify(scale)}`);
  }
  return scales;
}

function checked(op: string, a: GPUArray, k: number, mode: UpsampleMode): void {
  if (a.ndim !== k + 2) throw new BackendError(op, `needs ${k + 2}-D data, got ${fmtShape(a.shape)}`);
  if (mode !== 'nearest' && mode !== 'linear') throw new BackendError(op, `mode must be 'nearest' or 'linear', got '${String(mode)}'`);
  requireFloat(op, a);
}

function upsample(op: string, data: GPUArray, scale: number | readonly number[], mode: UpsampleMode, k: number): GPUArray {
  checked(op, data, k, mode);
  const scales = scalesOf(op, scale, k);
  const run = dnnOp(op, 'upsample');
  const [x] = contiguousRefs(op, data);
  const out = empty(data.shape.map((d, i) => (i < 2 ? d : d * scales[i - 2]!)), data.dtype);
  run({ x: x!, out: out.ref(op), scales, mode });
  return out;
}

function upsampleBackward(op: string, grad: GPUArray, scale: number | readonly number[], mode: UpsampleMode, k: number): GPUArray {
  checked(op, grad, k, mode);
  const scales = scalesOf(op, scale, k);
  if (grad.shape.some((d, i) => i >= 2 && d % scales[i - 2]! !== 0)) {
    throw new BackendError(op, `grad ${fmtShape(grad.shape)} is not divisible by scale (${scales.join(', ')})`);
  }
  const run = dnnOp(op, 'upsampleBackward');
  const [g] = contiguousRefs(op, grad);
  const out = empty(grad.shape.map((d, i) => (i < 2 ? d : d / scales[i - 2]!)), grad.dtype);
  run({ x: g!, out: out.ref(op), scales, mode });
  return out;
}

/** (N, C, H, W) → (N, C, H·sh, W·sw): nearest = block replication, linear = align-corners bilinear. */
export function upsample2d(data: GPUArray, scale: number | readonly [number, number] = 2, mode: UpsampleMode = 'nearest'): GPUArray {
  return upsample('Dnn.upsample2d', data, scale, mode, 2);
}

/** Adjoint of upsample2d: every input cell collects the grads of the output cells it contributed to. */
export function upsample2dBackward(grad: GPUArray, scale: number | readonly [number, number] = 2, mode: UpsampleMode = 'nearest'): GPUArray {
  return upsampleBackward('Dnn.upsample2dBackward', grad, scale, mode, 2);
}

/** (N, C, D, H, W) → scaled: nearest or align-corners trilinear. */
export function upsample3d(data: GPUArray, scale: number | readonly [number, number, number] = 2, mode: UpsampleMode = 'nearest'): GPUArray {
  return upsample('Dnn.upsample3d', data, scale, mode, 3);
}

export function upsample3dBackward(grad: GPUArray, scale: number | readonly [number, number, number] = 2, mode: UpsampleMode = 'nearest'): GPUArray {
  return upsampleBackward('Dnn.upsample3dBackward', grad, scale, mode, 3);
}
