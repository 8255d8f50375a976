import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import type { ConvGeometry, DeconvGeometry, GradAccumulation } from '../../../engine/conv-pool-ops.js';
import type { ArrayRef } from '../../../engine/engine.js';
import type { Tf } from '../tfjs-loader.js';
import { computeInto, tensorOf } from '../tfjs-tensors.js';
import { addMapBias, mapSums } from './conv-bias.js';
import { convFrame } from './conv-frame.js';
import { perGroup } from './conv-grouped.js';
import { convBackwardInput, convFilterGrad, convForward } from './conv-primitives.js';

const t4 = (tf: Tf, r: ArrayRef): Tensor4D => tensorOf(tf, r) as Tensor4D;

/** fresh·scale + old·momentum; a zero momentum ignores the old contents. */
function accumulate(tf: Tf, fresh: Tensor, old: ArrayRef, acc: GradAccumulation): Tensor {
  const scaled = acc.scale === 1 ? fresh : tf.mul(fresh, acc.scale);
  return acc.momentum === 0 ? scaled : tf.add(scaled, tf.mul(tensorOf(tf, old, fresh.shape), acc.momentum));
}

/** Stores the weight gradient and, when asked, the bias gradient (Σ of dy over batch and space). */
function storeParamGrads(tf: Tf, dW: () => Tensor, dy: ArrayRef, wgrad: ArrayRef, bgrad: ArrayRef | null, acc: GradAccumulation): void {
  computeInto(tf, bgrad ? [wgrad, bgrad] : [wgrad], () => {
    const grads = [accumulate(tf, dW(), wgrad, acc)];
    if (bgrad) grads.push(accumulate(tf, mapSums(tf, dy), bgrad, acc));
    return grads;
  });
}

export function convNd(tf: Tf, x: ArrayRef, w: ArrayRef, bias: ArrayRef | null, out: ArrayRef, geom: ConvGeometry): void {
  const f = convFrame(geom, x.shape, out.shape, w.shape);
  computeInto(tf, [out], () => [perGroup(tf, geom.groups, [t4(tf, x), 1], [t4(tf, w), 0], 1, (xg, wg) => convForward(tf, xg, wg, f))]);
  if (bias) addMapBias(out, bias);
}

export function convNdBackwardData(tf: Tf, grad: ArrayRef, w: ArrayRef, out: ArrayRef, geom: ConvGeometry): void {
  const f = convFrame(geom, out.shape, grad.shape, w.shape);
  const [n, maps] = [out.shape[0]!, out.shape[1]! / geom.groups];
  computeInto(tf, [out], () => [
    perGroup(tf, geom.groups, [t4(tf, grad), 1], [t4(tf, w), 0], 1, (g, wg) => convBackwardInput(tf, g, wg, n, maps, f)),
  ]);
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
  const dW = () => perGroup(tf, geom.groups, [t4(tf, x), 1], [t4(tf, grad), 1], 0, (xg, g) => convFilterGrad(tf, xg, g, f));
  storeParamGrads(tf, dW, grad, wgrad, bgrad, acc);
}

// A deconvolution is the transpose of the convolution from its output back to its input, with the same W.

export function deconvNd(tf: Tf, x: ArrayRef, w: ArrayRef, bias: ArrayRef | null, out: ArrayRef, geom: DeconvGeometry): void {
  const f = convFrame(geom, out.shape, x.shape, w.shape);
  const [n, maps] = [out.shape[0]!, out.shape[1]! / geom.groups];
  computeInto(tf, [out], () => [
    perGroup(tf, geom.groups, [t4(tf, x), 1], [t4(tf, w), 0], 1, (xg, wg) => convBackwardInput(tf, xg, wg, n, maps, f)),
  ]);
  if (bias) addMapBias(out, bias);
}

export function deconvNdBackwardData(tf: Tf, grad: ArrayRef, w: ArrayRef, out: ArrayRef, geom: DeconvGeometry): void {
  const f = convFrame(geom, grad.shape, out.shape, w.shape);
  computeInto(tf, [out], () => [
    perGroup(tf, geom.groups, [t4(tf, grad), 1], [t4(tf, w), 0], 1, (g, wg) => convForward(tf, g, wg, f)),
  ]);
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
  const dW = () => perGroup(tf, geom.groups, [t4(tf, grad), 1], [t4(tf, x), 1], 0, (g, xg) => convFilterGrad(tf, g, xg, f));
  storeParamGrads(tf, dW, grad, wgrad, bgrad, acc);
}
