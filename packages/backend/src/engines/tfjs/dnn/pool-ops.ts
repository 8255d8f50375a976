import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import type { PoolGeometry } from '../../../engine/conv-pool-ops.js';
import type { ArrayRef } from '../../../engine/engine.js';
import type { Tf } from '../tfjs-loader.js';
import { computeInto, tensorOf } from '../tfjs-tensors.js';
import { maxPoolBackward } from './pool-max-grad.js';

type Pair = [number, number];
type Pads = [Pair, Pair, Pair, Pair];

const pair = (v: readonly number[]): Pair => [v[0]!, v[1]!];
const NO_PADS: Pads = [
  [0, 0],
  [0, 0],
  [0, 0],
  [0, 0],
];

/** Explicit pads: tfjs's numeric pad sizes both axes from the first one. */
function padsOf(geom: PoolGeometry): Pads {
  const [ph, pw] = pair(geom.pad);
  return [
    [0, 0],
    [ph, ph],
    [pw, pw],
    [0, 0],
  ];
}

/** An NCHW array as tfjs NHWC images with one channel: one image per (n, c) map, no transpose needed. */
function asMaps(tf: Tf, r: ArrayRef): Tensor4D {
  const [n, c, h, w] = r.shape as [number, number, number, number];
  return tensorOf(tf, r, [n * c, h, w, 1]) as Tensor4D;
}

function forward(tf: Tf, x: Tensor4D, geom: PoolGeometry): Tensor4D {
  const [size, stride] = [pair(geom.size), pair(geom.stride)];
  switch (geom.mode) {
    case 'max':
      // tfjs skips padded cells, which is max pooling over a −∞ border.
      return tf.maxPool(x, size, stride, padsOf(geom), 'floor');
    case 'avgNoPad':
      // tfjs averages over the real cells of each window.
      return tf.avgPool(x, size, stride, padsOf(geom), 'floor');
    case 'avgWithPad':
      return tf.avgPool(tf.pad(x, padsOf(geom)), size, stride, NO_PADS, 'floor');
  }
}

/** Real (non-pad) cells of each window along one axis. */
function windowCounts(inSize: number, outSize: number, size: number, stride: number, pad: number): number[] {
  return Array.from({ length: outSize }, (_, o) => {
    const start = o * stride - pad;
    return Math.min(start + size, inSize) - Math.max(start, 0);
  });
}

/** Per output cell, window size / real cells: turns tfjs's divide-by-window-size gradient into avgNoPad's. */
function noPadScale(tf: Tf, x: Tensor4D, dy: Tensor4D, geom: PoolGeometry): Tensor {
  const [kh, kw] = pair(geom.size);
  const rows = windowCounts(x.shape[1], dy.shape[1], kh, geom.stride[0]!, geom.pad[0]!);
  const cols = windowCounts(x.shape[2], dy.shape[2], kw, geom.stride[1]!, geom.pad[1]!);
  const scale = rows.flatMap((r) => cols.map((c) => (kh * kw) / (r * c)));
  return tf.tensor4d(scale, [1, rows.length, cols.length, 1]);
}

function avgBackward(tf: Tf, x: Tensor4D, dy: Tensor4D, geom: PoolGeometry): Tensor {
  const attrs = { filterSize: pair(geom.size), strides: pair(geom.stride), pad: padsOf(geom) };
  const scaled = geom.mode === 'avgNoPad' ? tf.mul(dy, noPadScale(tf, x, dy, geom)) : dy;
  // tfjs exports no op for this kernel.
  return tf.engine().runKernel<Tensor>('AvgPoolGrad', { dy: scaled, input: x }, attrs as never);
}

export function poolNd(tf: Tf, x: ArrayRef, out: ArrayRef, geom: PoolGeometry): void {
  computeInto(tf, [out], () => [forward(tf, asMaps(tf, x), geom)]);
}

/** The forward output is not needed: the maxima are found again from x. */
export function poolNdBackward(tf: Tf, x: ArrayRef, _y: ArrayRef, grad: ArrayRef, out: ArrayRef, geom: PoolGeometry): void {
  if (geom.mode === 'max') maxPoolBackward(x, grad, out, geom);
  else computeInto(tf, [out], () => [avgBackward(tf, asMaps(tf, x), asMaps(tf, grad), geom)]);
}
