import type { Tensor } from '@tensorflow/tfjs-core';
import type { ArrayRef } from '../../../engine/engine.js';
import type { TensorOps } from '../../../engine/tensor-ops.js';
import type { Tf } from '../tfjs-loader.js';
import { computeInto, tensorOf } from '../tfjs-tensors.js';
import { channelView } from './axes-view.js';

const size = (r: ArrayRef) => r.shape.reduce((p, d) => p * d, 1);

export function preluOps(tf: Tf): Pick<TensorOps, 'prelu' | 'preluBackwardData' | 'preluBackwardParams'> {
  const view = (r: ArrayRef, like: ArrayRef): Tensor => tensorOf(tf, r, channelView(like));
  // (1, C, 1), or (1, 1, 1) for shared slopes: broadcasts against (N, C, S) either way.
  const slopesOf = (r: ArrayRef): Tensor => tensorOf(tf, r, [1, size(r), 1]);
  const negative = (x: Tensor): Tensor => tf.lessEqual(x, 0);

  return {
    prelu(x, slopes, out) {
      computeInto(tf, [out], () => {
        const t = view(x, x);
        return [tf.where(negative(t), tf.mul(t, slopesOf(slopes)), t)];
      });
    },
    preluBackwardData(grad, slopes, x, out) {
      computeInto(tf, [out], () => {
        const g = view(grad, x);
        return [tf.where(negative(view(x, x)), tf.mul(g, slopesOf(slopes)), g)];
      });
    },
    preluBackwardParams(x, grad, out, alpha, beta) {
      computeInto(tf, [out], () => {
        const t = view(x, x);
        const contrib = tf.where(negative(t), tf.mul(t, view(grad, x)), tf.zerosLike(t));
        const fresh = size(out) === 1 ? tf.sum(contrib) : tf.sum(contrib, [0, 2]);
        return [tf.add(tf.mul(tf.reshape(fresh, [size(out)]), alpha), tf.mul(tensorOf(tf, out, [size(out)]), beta))];
      });
    },
  };
}
