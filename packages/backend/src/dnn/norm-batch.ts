import { contiguousRefs, requireFloat, requireShape } from '../checks.js';
import { BackendError, fmtShape } from '../errors.js';
import type { GPUArray } from '../gpuarray/gpu-array.js';
import { empty } from '../gpuarray/gpuarray.js';
import { channelShape, refAs, requireMaps } from './axes-view.js';
import { dnnOp } from './require-dnn.js';

/** perActivation: statistics per (channel, position) over the batch; spatial: per channel over batch and positions. */
export type BatchNormMode = 'perActivation' | 'spatial';

export interface BatchNormOptions {
  epsilon?: number;
  /** Weight of the batch statistics in the running-stat update (train mode). */
  factor?: number;
  /** Normalise with the running mean and var instead of the batch statistics. */
  test?: boolean;
  mode?: BatchNormMode;
  /** Output array (may be `data` itself); a new one when omitted. */
  out?: GPUArray;
}

export interface BatchNormResult {
  out: GPUArray;
  /** Batch mean (train mode only), shaped like scale. */
  savemean: GPUArray | null;
  /** 1/√(biased batch variance + ε) (train mode only), shaped like scale. */
  saveinvvar: GPUArray | null;
}

/** The (N, C, S) view of data and a check that every parameter holds C float32 values. */
function checkedView(op: string, data: GPUArray, params: Record<string, GPUArray>, mode: BatchNormMode): [number, number, number] {
  requireMaps(op, data);
  requireFloat(op, data);
  const view = channelShape(data, mode === 'perActivation');
  for (const [name, p] of Object.entries(params)) {
    if (p.dtype !== 'float32' || p.size !== view[1]) {
      throw new BackendError(op, `${name} must hold ${view[1]} float32 values for ${mode} data ${fmtShape(data.shape)}, got ${fmtShape(p.shape)} ${p.dtype}`);
    }
  }
  return view;
}

/**
 * Batch normalisation of (N, C, ...) data: out = (x − μ)/√(σ² + ε)·scale + bias. Train mode uses the batch
 * statistics and updates `mean` and `var` in place: mean = (1−f)·mean + f·μ, var = (1−f)·var + f·unbiased σ².
 * Test mode uses the running mean and var.
 */
export function batchNormNd(
  data: GPUArray,
  scale: GPUArray,
  bias: GPUArray,
  mean: GPUArray,
  variance: GPUArray,
  opts: BatchNormOptions = {},
): BatchNormResult {
  const op = 'Dnn.batchNormNd';
  const { epsilon = 1e-5, factor = 1.0, test = false, mode = 'spatial' } = opts;
  const view = checkedView(op, data, { scale, bias, mean, var: variance }, mode);
  if (opts.out) requireShape(op, 'out', opts.out, data.shape);
  if (opts.out) requireFloat(op, data, opts.out);
  const run = dnnOp(op, 'batchNormNd');
  const [s, b, m, v] = contiguousRefs(op, scale, bias, mean, variance);
  const x = refAs(op, data, view);
  const out = opts.out ?? empty(data.shape, data.dtype);
  const args = { x, scale: s!, bias: b!, mean: m!, var: v!, out: refAs(op, out, view), epsilon };
  if (test) {
    run(args);
    return { out, savemean: null, saveinvvar: null };
  }
  const savemean = empty(scale.shape, 'float32');
  const saveinvvar = empty(scale.shape, 'float32');
  run({ ...args, train: { factor, savemean: savemean.ref(op), saveinvvar: saveinvvar.ref(op) } });
  return { out, savemean, saveinvvar };
}

export interface BatchNormGrads {
  ingrad: GPUArray;
  scalegrad: GPUArray;
  biasgrad: GPUArray;
}

/**
 * Gradients of a train-mode batchNormNd from its saved statistics: biasgrad = Σg, scalegrad = Σ g·x̂,
 * ingrad = scale·invstd/M·(M·g − Σg − x̂·Σ g·x̂) with M values per channel. Fresh arrays, nothing accumulated.
 */
export function batchNormNdBackward(
  data: GPUArray,
  grad: GPUArray,
  scale: GPUArray,
  savemean: GPUArray,
  saveinvvar: GPUArray,
  opts: { mode?: BatchNormMode } = {},
): BatchNormGrads {
  const op = 'Dnn.batchNormNdBackward';
  const mode = opts.mode ?? 'spatial';
  const view = checkedView(op, data, { scale, savemean, saveinvvar }, mode);
  requireShape(op, 'grad', grad, data.shape);
  requireFloat(op, data, grad);
  const run = dnnOp(op, 'batchNormNdBackward');
  const [s, m, v] = contiguousRefs(op, scale, savemean, saveinvvar);
  const [x, g] = [refAs(op, data, view), refAs(op, grad, view)];
  const ingrad = empty(data.shape, data.dtype);
  const scalegrad = empty(scale.shape, 'float32');
  const biasgrad = empty(scale.shape, 'float32');
  const outs = { ingrad: refAs(op, ingrad, view), scalegrad: scalegrad.ref(op), biasgrad: biasgrad.ref(op) };
  run({ x, grad: g, scale: s!, savemean: m!, saveinvvar: v!, ...outs });
  return { ingrad, scalegrad, biasgrad };
}
