import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { ConvGeometry, DeconvGeometry, GradAccumulation } from '../../../engine/conv-pool-ops.js';
import type { ArrayRef } from '../../../engine/engine.js';
import { sizeOf } from '../../../shape.js';
import type { Tf } from '../tfjs-loader.js';
import { asFloat32, storeValues } from '../tfjs-memory.js';
import { computeInto, tensorOf, valuesOf } from '../tfjs-tensors.js';
import { channelsLast, mapsFirst, storeChannelsFirst } from './channels-last.js';
import { addMapBias, mapSums } from './conv-bias.js';
import { convFrame, type ConvFrame } from './conv-frame.js';
import { convBackwardDataGemm, convFilterGradGemm, convForwardGemm, type ConvShapes } from './conv-gemm.js';
import { convFilterGradNative, convForwardNative, hasNativeConv } from './conv-native.js';

/** The convolution from `input` (N, C, …) to `output` (N, O, …), in `groups`; a deconvolution is read backwards. */
function shapesOf(input: ArrayRef, output: ArrayRef, groups: number): ConvShapes {
  return { batch: input.shape[0]!, inChannels: input.shape[1]!, outChannels: output.shape[1]!, groups };
}

/** fresh·scale + old·momentum; a zero momentum ignores the old contents. */
function accumulate(tf: Tf, fresh: Tensor, old: ArrayRef, acc: GradAccumulation): Tensor {
  const scaled = acc.scale === 1 ? fresh : tf.mul(fresh, acc.scale);
  return acc.momentum === 0 ? scaled : tf.add(scaled, tf.mul(tensorOf(tf, old, fresh.shape), acc.momentum));
}

/** Stores the weight gradient and, when asked, the bias gradient (Σ of dy over batch and space). */
function storeParamGrads(tf: Tf, dW: () => Tensor, dy: ArrayRef, wgrad: ArrayRef, bgrad: ArrayRef | null, acc: GradAccumulation): void {
  computeInto(tf, bgrad ? [wgrad, bgrad] : [wgrad], () => {
    const grads = [accumulate(tf, tf.reshape(dW(), wgrad.shape as number[]), wgrad, acc)];
    if (bgrad) grads.push(accumulate(tf, mapSums(tf, dy), bgrad, acc));
    return grads;
  });
}

/** An NCHW array (N, C, …) as the channels-last rows (N·positions, C) the convolutions compute on. */
function rowsOf(ref: ArrayRef): Float32Array {
  const [n, c] = ref.shape as [number, number];
  return channelsLast(asFloat32(ref), n, c, sizeOf(ref.shape) / (n * c));
}

/** The channels-last rows of an NCHW array as a (N·positions, C) tensor. */
function rowsTensor(tf: Tf, ref: ArrayRef): Tensor2D {
  return tf.tensor2d(rowsOf(ref), [sizeOf(ref.shape) / ref.shape[1]!, ref.shape[1]!]);
}

/** An NCHW array (N, C, …) as maps (C, N·positions). */
function mapsTensor(tf: Tf, ref: ArrayRef): Tensor2D {
  const [n, c] = ref.shape as [number, number];
  const positions = sizeOf(ref.shape) / (n * c);
  return tf.tensor2d(mapsFirst(asFloat32(ref), n, c, positions), [c, n * positions]);
}

/** out = conv(x, w), from input `x` to output `out` of frame `f`: tfjs' Conv2D where it can, else im2col. */
function forwardInto(tf: Tf, x: ArrayRef, w: ArrayRef, out: ArrayRef, f: ConvFrame, groups: number): void {
  const s = shapesOf(x, out, groups);
  tf.tidy(() => {
    const w4 = tensorOf(tf, w);
    const rows = hasNativeConv(f, groups) ? convForwardNative(tf, rowsOf(x), w4, s, f) : convForwardGemm(tf, asFloat32(x), w4, s, f);
    storeChannelsFirst(out, valuesOf(tf, rows), s.batch, s.outChannels);
  });
}

/** out = the input gradient of the convolution from `out` to `grad` (frame `f`). */
function backwardDataInto(tf: Tf, grad: ArrayRef, w: ArrayRef, out: ArrayRef, f: ConvFrame, groups: number): void {
  const dx = new Float32Array(sizeOf(out.shape));
  const s = shapesOf(out, grad, groups);
  tf.tidy(() => convBackwardDataGemm(tf, rowsTensor(tf, grad), tensorOf(tf, w), s, f, dx));
  storeValues(out, dx);
}

/** The weight gradient of the convolution from `input` to `dy` (frame `f`): tfjs' Conv2D for one group, else im2col. */
function filterGrad(tf: Tf, input: ArrayRef, dy: ArrayRef, f: ConvFrame, groups: number): Tensor {
  const s = shapesOf(input, dy, groups);
  if (groups === 1) return convFilterGradNative(tf, tensorOf(tf, input), tensorOf(tf, dy), s, f);
  return convFilterGradGemm(tf, asFloat32(input), mapsTensor(tf, dy), s, f);
}

export function convNd(tf: Tf, x: ArrayRef, w: ArrayRef, bias: ArrayRef | null, out: ArrayRef, geom: ConvGeometry): void {
  forwardInto(tf, x, w, out, convFrame(geom, x.shape, out.shape, w.shape), geom.groups);
  if (bias) addMapBias(out, bias);
}

export function convNdBackwardData(tf: Tf, grad: ArrayRef, w: ArrayRef, out: ArrayRef, geom: ConvGeometry): void {
  backwardDataInto(tf, grad, w, out, convFrame(geom, out.shape, grad.shape, w.shape), geom.groups);
}

export function convNdBackwardParams(
  tf: Tf,
  x: ArrayRef,
  grad: ArrayRef,
  wgrad: ArrayRef,
  bgrad: ArrayRef | null,
  geom: ConvGeometry,
  acc: GradAccumulation,
): void {
  const f = convFrame(geom, x.shape, grad.shape, wgrad.shape);
  const dW = () => filterGrad(tf, x, grad, f, geom.groups);
  storeParamGrads(tf, dW, grad, wgrad, bgrad, acc);
}

// A deconvolution is the transpose of the convolution from its output back to its input, with the same W.

export function deconvNd(tf: Tf, x: ArrayRef, w: ArrayRef, bias: ArrayRef | null, out: ArrayRef, geom: DeconvGeometry): void {
  backwardDataInto(tf, x, w, out, convFrame(geom, out.shape, x.shape, w.shape), geom.groups);
  if (bias) addMapBias(out, bias);
}

export function deconvNdBackwardData(tf: Tf, grad: ArrayRef, w: ArrayRef, out: ArrayRef, geom: DeconvGeometry): void {
  forwardInto(tf, grad, w, out, convFrame(geom, grad.shape, out.shape, w.shape), geom.groups);
}

export function deconvNdBackwardParams(
  tf: Tf,
  x: ArrayRef,
  grad: ArrayRef,
  wgrad: ArrayRef,
  bgrad: ArrayRef | null,
  geom: DeconvGeometry,
  acc: GradAccumulation,
): void {
  const f = convFrame(geom, grad.shape, x.shape, wgrad.shape);
  const dW = () => filterGrad(tf, grad, x, f, geom.groups);
  storeParamGrads(tf, dW, grad, wgrad, bgrad, acc);
}
