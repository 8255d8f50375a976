import { sumOnMatrix } from '../blas.js';
import { contiguousRefs, requireFloat, requireShape } from '../checks.js';
import { BackendError, fmtShape } from '../errors.js';
import type { GPUArray } from '../gpuarray/gpu-array.js';
import { empty, tile, zeros } from '../gpuarray/gpuarray.js';
import { refAs } from './axes-view.js';
import { dnnOp } from './require-dnn.js';

export interface InstanceNormResult {
  out: GPUArray;
  /** Mean of every (n, c) map, (N·C,). */
  savemean: GPUArray;
  /** 1/√(biased variance + ε) of every (n, c) map, (N·C,). */
  saveinvvar: GPUArray;
  /** The scale repeated for every sample, (N·C,): the per-map scale the backward pass needs. */
  extscale: GPUArray;
}

function requireImages(op: string, data: GPUArray): [number, number, number] {
  if (data.ndim !== 4) throw new BackendError(op, `needs 4-D (N, C, H, W) data, got ${fmtShape(data.shape)}`);
  requireFloat(op, data);
  const [n, c, h, w] = data.shape as [number, number, number, number];
  return [n, c, h * w];
}

function requireChannels(op: string, c: number, params: Record<string, GPUArray>): void {
  for (const [name, p] of Object.entries(params)) {
    if (p.dtype !== 'float32' || p.size !== c) throw new BackendError(op, `${name} must hold ${c} float32 values, got ${fmtShape(p.shape)} ${p.dtype}`);
  }
}

/** A per-channel vector repeated for each of n samples, flat (n·C,). */
function repeated(p: GPUArray, n: number): GPUArray {
  const row = p.reshape(1, p.size);
  const rows = tile(row, n, 0);
  const flat = rows.reshape(rows.size);
  row.dispose();
  rows.dispose();
  return flat;
}

/** Σ over the batch of an (N, C) array, as (1, C, 1, 1). */
function batchSum(perMap: GPUArray, c: number): GPUArray {
  const sum = sumOnMatrix(perMap, { cols: true });
  const shaped = sum.reshape(1, c, 1, 1);
  sum.dispose();
  return shaped;
}

/**
 * Instance normalisation: every (n, c) map of (N, C, H, W) data is normalised over H×W, then scaled and shifted
 * per channel. Runs as a train-mode batch norm over (1, N·C, H·W), as PuzzleLib does.
 */
export function instanceNorm2d(data: GPUArray, scale: GPUArray, bias: GPUArray, opts: { epsilon?: number } = {}): InstanceNormResult {
  const op = 'Dnn.instanceNorm2d';
  const [n, c, s] = requireImages(op, data);
  requireChannels(op, c, { scale, bias });
  const run = dnnOp(op, 'batchNormNd');
  const view = [1, n * c, s];
  const extscale = repeated(scale, n);
  const extbias = repeated(bias, n);
  const [mean, variance, savemean, saveinvvar] = [zeros([n * c]), zeros([n * c]), empty([n * c]), empty([n * c])];
  const out = empty(data.shape, data.dtype);
  const [es, eb, m, v, sm, si] = contiguousRefs(op, extscale, extbias, mean, variance, savemean, saveinvvar);
  const x = refAs(op, data, view);
  run({ x, scale: es!, bias: eb!, mean: m!, var: v!, out: refAs(op, out, view), epsilon: opts.epsilon ?? 1e-5, train: { factor: 0, savemean: sm!, saveinvvar: si! } });
  for (const t of [extbias, mean, variance]) t.dispose();
  return { out, savemean, saveinvvar, extscale };
}

export interface InstanceNormGrads {
  ingrad: GPUArray;
  /** Σ over the batch and H×W of g·x̂, (1, C, 1, 1); null when not affine. */
  scalegrad: GPUArray | null;
  /** Σ over the batch and H×W of g, (1, C, 1, 1); null when not affine. */
  biasgrad: GPUArray | null;
}

/** Gradients of instanceNorm2d from the statistics it saved; parameter grads are fresh (not accumulated). */
export function instanceNorm2dBackward(
  grad: GPUArray,
  data: GPUArray,
  extscale: GPUArray,
  savemean: GPUArray,
  saveinvvar: GPUArray,
  opts: { affine?: boolean } = {},
): InstanceNormGrads {
  const op = 'Dnn.instanceNorm2dBackward';
  const [n, c, s] = requireImages(op, data);
  requireShape(op, 'grad', grad, data.shape);
  requireFloat(op, data, grad);
  requireChannels(op, n * c, { extscale, savemean, saveinvvar });
  const run = dnnOp(op, 'batchNormNdBackward');
  const view = [1, n * c, s];
  const [es, m, v] = contiguousRefs(op, extscale, savemean, saveinvvar);
  const ingrad = empty(data.shape, data.dtype);
  const perMap = [empty([n, c]), empty([n, c])];
  const [sg, bg] = contiguousRefs(op, ...perMap);
  run({ x: refAs(op, data, view), grad: refAs(op, grad, view), scale: es!, savemean: m!, saveinvvar: v!, ingrad: refAs(op, ingrad, view), scalegrad: sg!, biasgrad: bg! });
  const [scalegrad, biasgrad] = opts.affine === false ? [null, null] : perMap.map((p) => batchSum(p, c));
  perMap.forEach((p) => p.dispose());
  return { ingrad, scalegrad: scalegrad ?? null, biasgrad: biasgrad ?? null };
}
