import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { TensorOps, UpsampleArgs, UpsampleMode } from '../../../engine/tensor-ops.js';
import type { Tf } from '../tfjs-loader.js';
import { computeInto, tensorOf } from '../tfjs-tensors.js';

/**
 * The (in, out) matrix that upsamples one axis: nearest copies cell ⌊o/s⌋; linear interpolates at the
 * align-corners source (in−1)/(out−1)·o between its floor and the next cell, clamped to the last one.
 */
export function upsampleMatrix(len: number, scale: number, mode: UpsampleMode): Float32Array {
  const out = len * scale;
  const m = new Float32Array(len * out);
  const ratio = len > 1 && out > 1 ? (len - 1) / (out - 1) : 0;
  for (let o = 0; o < out; o++) {
    if (mode === 'nearest') {
      m[Math.floor(o / scale) * out + o] = 1;
      continue;
    }
    const src = ratio * o;
    const lo = Math.floor(src);
    const hi = Math.min(lo + 1, len - 1);
    m[lo * out + o]! += 1 - (src - lo);
    m[hi * out + o]! += src - lo;
  }
  return m;
}

export function upsampleOps(tf: Tf): Pick<TensorOps, 'upsample' | 'upsampleBackward'> {
  /** Multiplies axis `axis` of t by the (len, newLen) matrix m: the axis goes last, through a matmul, and back. */
  function alongAxis(t: Tensor, axis: number, m: Tensor2D): Tensor {
    const perm = [...t.shape.keys()].filter((i) => i !== axis).concat(axis);
    const moved = tf.transpose(t, perm);
    const flat = tf.reshape(moved, [-1, t.shape[axis]!]) as Tensor2D;
    const product = tf.reshape(tf.matMul(flat, m), [...moved.shape.slice(0, -1), m.shape[1]]);
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return tf.transpose(product, inverse);
  }

  /** Applies every spatial axis' matrix (transposed for the adjoint) to x. */
  function run({ x, out, scales, mode }: UpsampleArgs, adjoint: boolean): void {
    computeInto(tf, [out], () => {
      const k = scales.length;
      const lead = x.shape.length - k;
      let t = tensorOf(tf, x);
      scales.forEach((s, i) => {
        const axis = lead + i;
        const len = adjoint ? out.shape[axis]! : x.shape[axis]!;
        const m = tf.tensor2d(upsampleMatrix(len, s, mode), [len, len * s]);
        t = alongAxis(t, axis, adjoint ? tf.transpose(m) : m);
      });
      return [t];
    });
  }

  return {
    upsample: (args) => run(args, false),
    upsampleBackward: (args) => run(args, true),
  };
}
