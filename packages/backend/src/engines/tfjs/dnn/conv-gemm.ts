import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { Tf } from '../tfjs-loader.js';
import { valuesOf } from '../tfjs-tensors.js';
import type { ConvFrame } from './conv-frame.js';
import { addPatchMatrix, patchMatrix, type PatchSource } from './im2col.js';

// Single 2-D convolutions as im2col and matrix products, on channels-last rows: what tfjs' own Conv2D cannot run
// (groups; stride with dilation) and every input gradient (tfjs-backend-wasm's Conv2DBackpropInput is a scalar loop,
// 10x slower here). XNNPACK repacks a product's right operand on every call, so that one is the small one wherever
// there is a choice. Weights are (O, C/groups, kh, kw), PuzzleLib's layout: group g's filters are rows g·O/groups…
// of the (O, C/groups·kh·kw) matrix.

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

/** Columns [g·cols/groups, (g+1)·cols/groups) of a 2-D tensor. */
function groupColumns(tf: Tf, m: Tensor2D, g: number, groups: number): Tensor2D {
  const cols = m.shape[1] / groups;
  return groups === 1 ? m : tf.slice(m, [0, g * cols], [m.shape[0], cols]);
}

/** Rows [g·rows/groups, (g+1)·rows/groups) of a 2-D tensor. */
function groupRows(tf: Tf, m: Tensor2D, g: number, groups: number): Tensor2D {
  const rows = m.shape[0] / groups;
  return groups === 1 ? m : tf.slice(m, [g * rows, 0], [rows, m.shape[1]]);
}

/** The patch matrix of group g as a (N·oh·ow, C/groups·kh·kw) tensor. */
function patches(tf: Tf, x: Float32Array, s: ConvShapes, f: ConvFrame, g: number): Tensor2D {
  const values = patchMatrix(x, groupSource(s, g), f);
  const positions = s.batch * f.outSize[0] * f.outSize[1];
  return tf.tensor2d(values, [positions, values.length / positions]);
}

/** y = conv(x, w) as channels-last rows (N·oh·ow, O): per group, patches_g · W_gᵀ. */
export function convForwardGemm(tf: Tf, x: Float32Array, w: Tensor, s: ConvShapes, f: ConvFrame): Tensor {
  const wT = tf.transpose(tf.reshape(w, [s.outChannels, -1])) as Tensor2D;
  const parts = Array.from({ length: s.groups }, (_, g) => tf.matMul(patches(tf, x, s, f, g), groupColumns(tf, wT, g, s.groups)));
  return s.groups === 1 ? parts[0]! : tf.concat(parts, 1);
}

/** dx = the input gradient of convForwardGemm, added into `dx` (NCHW): col2im of dy_g · W_g, dy as channels-last rows. */
export function convBackwardDataGemm(tf: Tf, dyRows: Tensor2D, w: Tensor, s: ConvShapes, f: ConvFrame, dx: Float32Array): void {
  const w2 = tf.reshape(w, [s.outChannels, -1]) as Tensor2D;
  for (let g = 0; g < s.groups; g++) {
    const dcols = tf.matMul(groupColumns(tf, dyRows, g, s.groups), groupRows(tf, w2, g, s.groups));
    addPatchMatrix(valuesOf(tf, dcols) as Float32Array, dx, groupSource(s, g), f);
  }
}

/** dW = the weight gradient of convForwardGemm: per group dy_g · patches_g, dy as maps (O, N·oh·ow). */
export function convFilterGradGemm(tf: Tf, x: Float32Array, dyMaps: Tensor2D, s: ConvShapes, f: ConvFrame): Tensor {
  const parts = Array.from({ length: s.groups }, (_, g) => tf.matMul(groupRows(tf, dyMaps, g, s.groups), patches(tf, x, s, f, g)));
  return s.groups === 1 ? parts[0]! : tf.concat(parts, 0);
}
