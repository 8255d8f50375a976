import { contiguousRefs, requireFloat, requireShape } from '../checks.js';
import type { ConvGeometry, GradAccumulation } from '../engine/conv-pool-ops.js';
import { BackendError, fmtShape } from '../errors.js';
import type { GPUArray } from '../gpuarray/gpu-array.js';
import { empty, zeros } from '../gpuarray/gpuarray.js';
import { perAxis, requireBias, requireDataAndWeights, requireGroups, requirePositiveOutput, type SpatialParam } from './conv-params.js';
import { dnnOp } from './require-dnn.js';

export interface ConvOptions {
  stride?: SpatialParam;
  pad?: SpatialParam;
  dilation?: SpatialParam;
  groups?: number;
}

export interface ParamGradOptions {
  /** Accumulated into: wgrad = scale·dW + momentum·wgrad. Zeros of W's shape when omitted. */
  wgrad?: GPUArray;
  /** Likewise for the bias; zeros of the bias's shape when omitted. */
  bgrad?: GPUArray;
  scale?: number;
  momentum?: number;
}

export function convGeometry(op: string, opts: ConvOptions): ConvGeometry {
  return {
    stride: perAxis(op, 'stride', opts.stride ?? 1, 1),
    pad: perAxis(op, 'pad', opts.pad ?? 0, 0),
    dilation: perAxis(op, 'dilation', opts.dilation ?? 1, 1),
    groups: opts.groups ?? 1,
  };
}

/** o = floor((i + 2p − d(k−1) − 1)/s) + 1 per spatial axis. */
function convShape(dataShape: readonly number[], wShape: readonly number[], geom: ConvGeometry): number[] {
  const out = [dataShape[0]!, wShape[0]!];
  for (let a = 0; a + 2 < dataShape.length; a++) {
    const span = geom.dilation[a]! * (wShape[a + 2]! - 1) + 1;
    out.push(Math.floor((dataShape[a + 2]! + 2 * geom.pad[a]! - span) / geom.stride[a]!) + 1);
  }
  return out;
}

/** Output shape of convNd for NCHW data of `dataShape` and weights of `wShape` (nothing is validated). */
export function convOutputShape(dataShape: readonly number[], wShape: readonly number[], opts: ConvOptions = {}): number[] {
  return convShape(dataShape, wShape, convGeometry('Dnn.convOutputShape', opts));
}

/** Validates data (N, C, H, W) against W (Cout, C/groups, kh, kw); returns the geometry and the output shape. */
function checkConv(op: string, data: GPUArray, W: GPUArray, opts: ConvOptions): { geom: ConvGeometry; outShape: number[] } {
  requireDataAndWeights(op, data, W);
  const geom = convGeometry(op, opts);
  requireGroups(op, geom.groups, ['input maps', data.shape[1]!], ['output maps', W.shape[0]!]);
  if (data.shape[1] !== W.shape[1]! * geom.groups) {
    throw new BackendError(op, `data ${fmtShape(data.shape)} has ${data.shape[1]} maps, W ${fmtShape(W.shape)} with ${geom.groups} group(s) expects ${W.shape[1]! * geom.groups}`);
  }
  const outShape = convShape(data.shape, W.shape, geom);
  requirePositiveOutput(op, outShape, () => `W ${fmtShape(W.shape)} on data ${fmtShape(data.shape)} with pad [${geom.pad.join(', ')}], dilation [${geom.dilation.join(', ')}]`);
  return { geom, outShape };
}

/** Convolution of NCHW data with W (Cout, Cin/groups, kh, kw), plus a bias of Cout values when given. */
export function convNd(data: GPUArray, W: GPUArray, bias: GPUArray | null = null, opts: ConvOptions = {}): GPUArray {
  const op = 'Dnn.convNd';
  const run = dnnOp(op, 'convNd');
  const { geom, outShape } = checkConv(op, data, W, opts);
  if (bias) requireBias(op, 'bias', bias, W.shape[0]!, data);
  const [x, w] = contiguousRefs(op, data, W);
  const b = bias ? contiguousRefs(op, bias)[0]! : null;
  const out = empty(outShape, data.dtype);
  run(x!, w!, b, out.ref(op), geom);
  return out;
}

/** Gradient with respect to the input of convNd; `data` gives the input shape only. */
export function convNdBackwardData(grad: GPUArray, W: GPUArray, data: GPUArray, opts: ConvOptions = {}): GPUArray {
  const op = 'Dnn.convNdBackwardData';
  const run = dnnOp(op, 'convNdBackwardData');
  const { geom, outShape } = checkConv(op, data, W, opts);
  requireShape(op, 'grad', grad, outShape);
  requireFloat(op, W, grad);
  const [g, w] = contiguousRefs(op, grad, W);
  const out = empty(data.shape, W.dtype);
  run(g!, w!, out.ref(op), geom);
  return out;
}

/** Checks or allocates the gradients a backward-params op accumulates into. */
export function paramGrads(op: string, W: GPUArray, bias: GPUArray | null, maps: number, opts: ParamGradOptions): [GPUArray, GPUArray | null] {
  if (opts.wgrad) requireShape(op, 'wgrad', opts.wgrad, W.shape);
  if (opts.wgrad) requireFloat(op, W, opts.wgrad);
  if (opts.bgrad) requireBias(op, 'bgrad', opts.bgrad, maps, W);
  if (opts.bgrad && !bias) throw new BackendError(op, 'bgrad given without a bias');
  contiguousRefs(op, ...[opts.wgrad, opts.bgrad].filter((a): a is GPUArray => a !== undefined));
  const wgrad = opts.wgrad ?? zeros(W.shape, W.dtype);
  const bgrad = bias ? (opts.bgrad ?? zeros(bias.shape, bias.dtype)) : null;
  return [wgrad, bgrad];
}

export function accumulation(opts: ParamGradOptions): GradAccumulation {
  return { scale: opts.scale ?? 1, momentum: opts.momentum ?? 0 };
}

/**
 * Weight and bias gradients of convNd, accumulated: wgrad = scale·dW + momentum·wgrad, and
 * bgrad = scale·Σ_{N,H,W} grad + momentum·bgrad (only when bias is given). Returns [wgrad, bgrad].
 */
export function convNdBackwardParams(
  data: GPUArray,
  grad: GPUArray,
  W: GPUArray,
  bias: GPUArray | null,
  opts: ConvOptions & ParamGradOptions = {},
): [GPUArray, GPUArray | null] {
  const op = 'Dnn.convNdBackwardParams';
  const run = dnnOp(op, 'convNdBackwardParams');
  const { geom, outShape } = checkConv(op, data, W, opts);
  requireShape(op, 'grad', grad, outShape);
  requireFloat(op, data, grad);
  if (bias) requireBias(op, 'bias', bias, W.shape[0]!, data);
  const [x, g] = contiguousRefs(op, data, grad);
  const [wgrad, bgrad] = paramGrads(op, W, bias, W.shape[0]!, opts);
  run(x!, g!, wgrad.ref(op), bgrad?.ref(op) ?? null, geom, accumulation(opts));
  return [wgrad, bgrad];
}
