import type { Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import type { Tf } from '../tfjs-loader.js';
import { padAfter, type ConvFrame } from './conv-frame.js';
import type { ConvShapes } from './conv-gemm.js';

type Pads = [[number, number], [number, number], [number, number], [number, number]];

/** Explicit channels-last pads: the frame's leading pad, and a trailing one that ends the last window exactly. */
function padsOf(f: ConvFrame): Pads {
  return [
    [0, 0],
    [f.padBefore[0], Math.max(padAfter(f, 0), 0)],
    [f.padBefore[1], Math.max(padAfter(f, 1), 0)],
    [0, 0],
  ];
}

/** Trailing input cells no window reads, per axis: cropped, since tfjs sizes its output from input and pads. */
function unreadTail(f: ConvFrame): [number, number] {
  return [Math.max(-padAfter(f, 0), 0), Math.max(-padAfter(f, 1), 0)];
}

/**
 * Whether tfjs' own Conv2D (XNNPACK's convolution on wasm, channels last) can run a convolution: one group, and no
 * stride and dilation together. It needs no patch matrix, which makes it the fastest forward pass there is.
 */
export function hasNativeConv(f: ConvFrame, groups: number): boolean {
  const strided = f.stride[0] > 1 || f.stride[1] > 1;
  const dilated = f.dilation[0] > 1 || f.dilation[1] > 1;
  return groups === 1 && !(strided && dilated);
}

/**
 * y = conv(x, w) as channels-last rows (N·oh·ow, O), through tfjs' Conv2D on channels-last input rows (N·h·w, C).
 * Trailing input cells that no window reads are cropped, so that tfjs' output size is the frame's.
 */
export function convForwardNative(tf: Tf, xRows: Float32Array, w: Tensor, s: ConvShapes, f: ConvFrame): Tensor {
  const [cropH, cropW] = unreadTail(f);
  let x = tf.tensor4d(xRows, [s.batch, f.inSize[0], f.inSize[1], s.inChannels]);
  if (cropH > 0 || cropW > 0) x = tf.slice(x, [0, 0, 0, 0], [s.batch, f.inSize[0] - cropH, f.inSize[1] - cropW, s.inChannels]);
  const filter = tf.transpose(w, [2, 3, 1, 0]) as Tensor4D; // (O, C, kh, kw) → (kh, kw, C, O)
  const y = tf.conv2d(x, filter, f.stride, padsOf(f), 'NHWC', f.dilation);
  return tf.reshape(y, [-1, s.outChannels]);
}

/**
 * dW = the weight gradient of a one-group convolution, as tfjs' Conv2D of the input maps (C images of N channels)
 * with dy as the filter ((oh, ow, N, O)) dilated by the stride: no patch matrix, and XNNPACK's convolution instead of
 * a scalar loop. A dilated convolution's taps are every dilation-th cell of the result. Returns (O, C, kh, kw).
 */
export function convFilterGradNative(tf: Tf, x: Tensor, dy: Tensor, s: ConvShapes, f: ConvFrame): Tensor {
  const [cropH, cropW] = unreadTail(f);
  let images = tf.transpose(x, [1, 2, 3, 0]) as Tensor4D; // (N, C, h, w) → (C, h, w, N)
  if (cropH > 0 || cropW > 0) images = tf.slice(images, [0, 0, 0, 0], [s.inChannels, f.inSize[0] - cropH, f.inSize[1] - cropW, s.batch]);
  const filter = tf.transpose(dy, [2, 3, 0, 1]) as Tensor4D; // (N, O, oh, ow) → (oh, ow, N, O)
  let taps = tf.conv2d(images, filter, 1, padsOf(f), 'NHWC', f.stride); // (C, span_h, span_w, O)
  if (f.dilation[0] > 1 || f.dilation[1] > 1) taps = tf.stridedSlice(taps, [0, 0, 0, 0], taps.shape, [1, f.dilation[0], f.dilation[1], 1]) as Tensor4D;
  return tf.transpose(taps, [3, 0, 1, 2]);
}
