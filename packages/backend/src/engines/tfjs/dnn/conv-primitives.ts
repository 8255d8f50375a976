import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import type { Tf } from '../tfjs-loader.js';
import { explicitPads, isDilated, isStrided, span, unreadTail, type ConvFrame } from './conv-frame.js';

// Single-group 2-D convolutions on float32 NCHW tensors; weights are (out, in, kh, kw) as in PuzzleLib.

/** Drops `tail` trailing cells of both spatial axes. */
function cropTail(tf: Tf, x: Tensor4D, tail: [number, number]): Tensor4D {
  if (tail[0] === 0 && tail[1] === 0) return x;
  const [n, c, h, w] = x.shape;
  return tf.slice(x, [0, 0, 0, 0], [n, c, h - tail[0], w - tail[1]]);
}

/** Appends `tail` zero cells to both spatial axes. */
function padTail(tf: Tf, x: Tensor4D, tail: [number, number]): Tensor4D {
  if (tail[0] === 0 && tail[1] === 0) return x;
  return tf.pad(x, [
    [0, 0],
    [0, 0],
    [0, tail[0]],
    [0, tail[1]],
  ]);
}

/** The weights with dilation − 1 zeros between taps, so that kernels without dilation support can run them. */
function dilateWeights(tf: Tf, w: Tensor4D, f: ConvFrame): Tensor4D {
  if (!isDilated(f)) return w;
  const [o, i, kh, kw] = w.shape;
  const [dh, dw] = f.dilation;
  const spread = tf.pad(tf.reshape(w, [o, i, kh, 1, kw, 1]), [
    [0, 0],
    [0, 0],
    [0, 0],
    [0, dh - 1],
    [0, 0],
    [0, dw - 1],
  ]);
  return tf.slice(tf.reshape(spread, [o, i, kh * dh, kw * dw]), [0, 0, 0, 0], [o, i, span(f, 0), span(f, 1)]) as Tensor4D;
}

/** (out, in, kh, kw) → tfjs filter layout (kh, kw, in, out). */
function toFilter(tf: Tf, w: Tensor4D): Tensor4D {
  return tf.transpose(w, [2, 3, 1, 0]);
}

/** y = conv(x, w). */
export function convForward(tf: Tf, x: Tensor4D, w: Tensor4D, f: ConvFrame): Tensor4D {
  const input = cropTail(tf, x, unreadTail(f));
  // tfjs dilates natively only without stride; otherwise the zeros are spelled out in the weights.
  const native = !isStrided(f);
  const filter = toFilter(tf, native ? w : dilateWeights(tf, w, f));
  return tf.conv2d(input, filter, f.stride, explicitPads(f), 'NCHW', native ? f.dilation : [1, 1]);
}

/** dx = the gradient of convForward with respect to x (batch n, `maps` input maps), given dy. */
export function convBackwardInput(tf: Tf, dy: Tensor4D, w: Tensor4D, n: number, maps: number, f: ConvFrame): Tensor4D {
  const tail = unreadTail(f);
  const inputShape = [n, maps, f.inSize[0] - tail[0], f.inSize[1] - tail[1]];
  const attrs = { inputShape, strides: f.stride, pad: explicitPads(f), dataFormat: 'NCHW' };
  const filter = toFilter(tf, dilateWeights(tf, w, f));
  // tfjs exports no op for this kernel.
  const dx = tf.engine().runKernel<Tensor>('Conv2DBackpropInput', { dy, filter }, attrs as never) as Tensor4D;
  return padTail(tf, dx, tail);
}

/**
 * dW = the gradient of convForward with respect to w, as a convolution over the batch: the input maps act as
 * images, the batch as channels, dy as the filter and the stride as its dilation.
 */
export function convFilterGrad(tf: Tf, x: Tensor4D, dy: Tensor4D, f: ConvFrame): Tensor4D {
  const input = tf.transpose(cropTail(tf, x, unreadTail(f)), [1, 0, 2, 3]);
  const filter = tf.transpose(dy, [2, 3, 0, 1]);
  const full = tf.conv2d(input, filter, 1, explicitPads(f), 'NCHW', f.stride);
  const [c, o, eh, ew] = full.shape;
  const taps = isDilated(f) ? tf.stridedSlice(full, [0, 0, 0, 0], [c, o, eh, ew], [1, 1, f.dilation[0], f.dilation[1]]) : full;
  return tf.transpose(taps as Tensor4D, [1, 0, 2, 3]);
}
