import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { Tf } from '../tfjs-loader.js';
import { valuesOf } from '../tfjs-tensors.js';
import type { ConvFrame } from './conv-frame.js';
import { addPatchMatrix, patchMatrix, type PatchSource } from './im2col.js';

// Single 2-D convolutions on NCHW float32 data, as im2col and matrix products: tfjs-backend-wasm has neither an NCHW
// Conv2D nor Conv2DBackpropFilter, and its matMul runs on XNNPACK. Weights are (O, C/groups, kh, kw), PuzzleLib's
// layout, so group g's filters are the contiguous rows g·O/groups… of the (O, C/groups·kh·kw) matrix.

/** The maps a convolution reads and writes: its input (batch, channels, …) and its output channels, in groups. */
export interface ConvShapes {
  readonly batch: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly groups: number;
}

function groupSource(s: ConvShapes, g: number): PatchSource {
  const count = s.inChannels / s.groups;
  return { batch: s.batch, channels: s.inChannels, first: g * count, count };
}

/** Rows [g·rows/groups, (g+1)·rows/groups) of a 2-D tensor. */
function groupRows(tf: Tf, m: Tensor2D, g: number, groups: number): Tensor2D {
  const rows = m.shape[0] / groups;
  return groups === 1 ? m : tf.slice(m, [g * rows, 0], [rows, m.shape[1]]);
}

function positions(s: ConvShapes, f: ConvFrame): number {
  return s.batch * f.outSize[0] * f.outSize[1];
}

/** The (O, N·oh·ow) output of a product, as NCHW (N, O, oh, ow). */
function toNchw(tf: Tf, m: Tensor, s: ConvShapes, f: ConvFrame): Tensor {
  const perMap = tf.reshape(m, [s.outChannels, s.batch, f.outSize[0] * f.outSize[1]]);
  return tf.reshape(tf.transpose(perMap, [1, 0, 2]), [s.batch, s.outChannels, ...f.outSize]);
}

/** An NCHW gradient (N, O, oh, ow) as the (O, N·oh·ow) matrix the products take. */
function fromNchw(tf: Tf, dy: Tensor, s: ConvShapes): Tensor2D {
  const maps = tf.transpose(tf.reshape(dy, [s.batch, s.outChannels, -1]), [1, 0, 2]);
  return tf.reshape(maps, [s.outChannels, -1]) as Tensor2D;
}

/** y = conv(x, w): per group, W_g (O/groups, C/groups·kh·kw) · patches_g. x is the host copy of the input. */
export function convForwardGemm(tf: Tf, x: Float32Array, w: Tensor, s: ConvShapes, f: ConvFrame): Tensor {
  const w2 = tf.reshape(w, [s.outChannels, -1]) as Tensor2D;
  const parts = Array.from({ length: s.groups }, (_, g) => {
    const cols = patchMatrix(x, groupSource(s, g), f);
    return tf.matMul(groupRows(tf, w2, g, s.groups), tf.tensor2d(cols, [cols.length / positions(s, f), positions(s, f)]));
  });
  return toNchw(tf, s.groups === 1 ? parts[0]! : tf.concat(parts, 0), s, f);
}

/** dx = the input gradient of convForwardGemm: per group, col2im of W_gᵀ · dy_g, added into `dx`. */
export function convBackwardDataGemm(tf: Tf, dy: Tensor, w: Tensor, s: ConvShapes, f: ConvFrame, dx: Float32Array): void {
  const wT = tf.transpose(tf.reshape(w, [s.outChannels, -1])) as Tensor2D;
  const dyMaps = fromNchw(tf, dy, s);
  for (let g = 0; g < s.groups; g++) {
    const taps = wT.shape[1] / s.groups;
    const wg = s.groups === 1 ? wT : (tf.slice(wT, [0, g * taps], [wT.shape[0], taps]) as Tensor2D);
    const dcols = tf.matMul(wg, groupRows(tf, dyMaps, g, s.groups));
    addPatchMatrix(valuesOf(tf, dcols), dx, groupSource(s, g), f);
  }
}

/** dW = the weight gradient of convForwardGemm: per group, dy_g · patches_gᵀ, as patches_g · dy_gᵀ transposed. */
export function convFilterGradGemm(tf: Tf, x: Float32Array, dy: Tensor, s: ConvShapes, f: ConvFrame): Tensor {
  // (N·oh·ow, O): the product's right operand, so that XNNPACK packs this one and not the larger patch matrix.
  const dyRows = tf.transpose(fromNchw(tf, dy, s)) as Tensor2D;
  const parts = Array.from({ length: s.groups }, (_, g) => {
    const cols = patchMatrix(x, groupSource(s, g), f);
    const perOut = s.outChannels / s.groups;
    const dyg = s.groups === 1 ? dyRows : (tf.slice(dyRows, [0, g * perOut], [dyRows.shape[0], perOut]) as Tensor2D);
    return tf.transpose(tf.matMul(tf.tensor2d(cols, [cols.length / positions(s, f), positions(s, f)]), dyg));
  });
  return s.groups === 1 ? parts[0]! : tf.concat(parts, 0);
}
