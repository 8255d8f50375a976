import { contiguousRefs, requireFloat, requireShape } from '../checks.js';
import type { DeconvGeometry } from '../engine/conv-pool-ops.js';
import { BackendError, fmtShape } from '../errors.js';
import type { GPUArray } from '../gpuarray/gpu-array.js';
import { empty } from '../gpuarray/gpuarray.js';
import { accumulation, convGeometry, paramGrads, type ConvOptions, type ParamGradOptions } from './conv-nd.js';
import { perAxis, requireBias, requireDataAndWeights, requireGroups, requirePositiveOutput } from './conv-params.js';
import { dnnOp } from './require-dnn.js';

// Transposed convolution (PuzzleLib deconvNd): the adjoint of convNd with W (Cin, Cout/groups, kh, kw).

export interface DeconvOptions extends ConvOptions {
  /** Extra cells at the end of each output axis; less than max(stride, dilation). */
  postpad?: number | readonly number[];
}

/** o = (i − 1)s + d(k − 1) − 2p + 1 + postpad per spatial axis. */
function deconvShape(dataShape: readonly number[], wShape: readonly number[], geom: DeconvGeometry): number[] {
  const spatial = dataShape.slice(2).map((i, a) => {
    const span = geom.dilation[a]! * (wShape[a + 2]! - 1) + 1;
    return (i - 1) * geom.stride[a]! + span - 2 * geom.pad[a]! + geom.postpad[a]!;
  });
  return [dataShape[0]!, wShape[1]! * geom.groups, ...spatial];
}

function deconvGeometry(op: string, opts: DeconvOptions): DeconvGeometry {
  const geom = { ...convGeometry(op, opts), postpad: perAxis(op, 'postpad', opts.postpad ?? 0, 0) };
  geom.postpad.forEach((q, a) => {
    const limit = Math.max(geom.stride[a]!, geom.dilation[a]!);
    if (q >= limit) throw new BackendError(op, `postpad ${q} must be less than max(stride, dilation) = ${limit} on spatial axis ${a}`);
  });
  return geom;
}

/** Output shape of deconvNd for NCHW data of `dataShape` and weights of `wShape`. */
export function deconvOutputShape(dataShape: readonly number[], wShape: readonly number[], opts: DeconvOptions = {}): number[] {
  return deconvShape(dataShape, wShape, deconvGeometry('Dnn.deconvOutputShape', opts));
}

/** Validates data (N, Cin, H, W) against W (Cin, Cout/groups, kh, kw); returns the geometry and the output shape. */
function checkDeconv(op: string, data: GPUArray, W: GPUArray, opts: DeconvOptions): { geom: DeconvGeometry; outShape: number[] } {
  requireDataAndWeights(op, data, W);
  const geom = deconvGeometry(op, opts);
  requireGroups(op, geom.groups, ['input maps', data.shape[1]!]);
  if (data.shape[1] !== W.shape[0]) {
    throw new BackendError(op, `data ${fmtShape(data.shape)} has ${data.shape[1]} maps, W ${fmtShape(W.shape)} expects ${W.shape[0]}`);
  }
  const outShape = deconvShape(data.shape, W.shape, geom);
  requirePositiveOutput(op, outShape, () => `W ${fmtShape(W.shape)} on data ${fmtShape(data.shape)} with pad [${geom.pad.join(', ')}]`);
  return { geom, outShape };
}

/** Transposed convolution of NCHW data, plus a bias of Cout = W.shape[1]·groups values when given. */
export function deconvNd(data: GPUArray, W: GPUArray, bias: GPUArray | null = null, opts: DeconvOptions = {}): GPUArray {
  const op = 'Dnn.deconvNd';
  const run = dnnOp(op, 'deconvNd');
  const { geom, outShape } = checkDeconv(op, data, W, opts);
  if (bias) requireBias(op, 'bias', bias, outShape[1]!, data);
  const [x, w] = contiguousRefs(op, data, W);
  const b = bias ? contiguousRefs(op, bias)[0]! : null;
  const out = empty(outShape, data.dtype);
  run(x!, w!, b, out.ref(op), geom);
  return out;
}

/** Gradient with respect to the input of deconvNd (the forward convolution of grad); `data` gives the shape. */
export function deconvNdBackwardData(grad: GPUArray, W: GPUArray, data: GPUArray, opts: DeconvOptions = {}): GPUArray {
  const op = 'Dnn.deconvNdBackwardData';
  const run = dnnOp(op, 'deconvNdBackwardData');
  const { geom, outShape } = checkDeconv(op, data, W, opts);
  requireShape(op, 'grad', grad, outShape);
  requireFloat(op, W, grad);
  const [g, w] = contiguousRefs(op, grad, W);
  const out = empty(data.shape, W.dtype);
  run(g!, w!, out.ref(op), geom);
  return out;
}

/** Weight and bias gradients of deconvNd, accumulated by scale and momentum as convNdBackwardParams. */
export function deconvNdBackwardParams(
  data: GPUArray,
  grad: GPUArray,
  W: GPUArray,
  bias: GPUArray | null,
  opts: DeconvOptions & ParamGradOptions = {},
): [GPUArray, GPUArray | null] {
  const op = 'Dnn.deconvNdBackwardParams';
  const run = dnnOp(op, 'deconvNdBackwardParams');
  const { geom, outShape } = checkDeconv(op, data, W, opts);
  requireShape(op, 'grad', grad, outShape);
  requireFloat(op, data, grad);
  if (bias) requireBias(op, 'bias', bias, outShape[1]!, data);
  const [x, g] = contiguousRefs(op, data, grad);
  const [wgrad, bgrad] = paramGrads(op, W, bias, outShape[1]!, opts);
  run(x!, g!, wgrad.ref(op), bgrad?.ref(op) ?? null, geom, accumulation(opts));
  return [wgrad, bgrad];
}
