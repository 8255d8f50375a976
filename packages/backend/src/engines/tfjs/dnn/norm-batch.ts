import type { Tensor } from '@tensorflow/tfjs-core';
import type { ArrayRef } from '../../../engine/engine.js';
import type { BatchNormBackward, BatchNormForward, TensorOps } from '../../../engine/tensor-ops.js';
import type { Tf } from '../tfjs-loader.js';
import { computeInto, tensorOf } from '../tfjs-tensors.js';
import { channelView } from './axes-view.js';

const STAT_AXES = [0, 2];

export function batchNormOps(tf: Tf): Pick<TensorOps, 'batchNormNd' | 'batchNormNdBackward'> {
  function forward(a: BatchNormForward): void {
    const [n, c, s] = channelView(a.x);
    // Per-channel vectors shaped (1, C, 1) broadcast against (N, C, S).
    const vec = (r: ArrayRef) => tensorOf(tf, r, [1, c, 1]);
    const normalise = (x: Tensor, mean: Tensor, invstd: Tensor) =>
      tf.add(tf.mul(tf.mul(tf.sub(x, mean), invstd), vec(a.scale)), vec(a.bias));
    if (!a.train) {
      computeInto(tf, [a.out], () => [normalise(tensorOf(tf, a.x, [n, c, s]), vec(a.mean), tf.rsqrt(tf.add(vec(a.var), a.epsilon)))]);
      return;
    }
    const { factor, savemean, saveinvvar } = a.train;
    const count = n * s;
    computeInto(tf, [a.out, savemean, saveinvvar, a.mean, a.var], () => {
      const x = tensorOf(tf, a.x, [n, c, s]);
      const { mean, variance } = tf.moments(x, STAT_AXES, true);
      const invstd = tf.rsqrt(tf.add(variance, a.epsilon));
      // cuDNN blends the unbiased variance into the running estimate but normalises with the biased one.
      const unbiased = tf.mul(variance, count / Math.max(count - 1, 1));
      const blend = (running: ArrayRef, batch: Tensor) => tf.add(tf.mul(vec(running), 1 - factor), tf.mul(batch, factor));
      return [normalise(x, mean, invstd), mean, invstd, blend(a.mean, mean), blend(a.var, unbiased)];
    });
  }

  function backward(a: BatchNormBackward): void {
    const [n, c, s] = channelView(a.x);
    const vec = (r: ArrayRef) => tensorOf(tf, r, [1, c, 1]);
    const count = n * s;
    computeInto(tf, [a.ingrad, a.scalegrad, a.biasgrad], () => {
      const g = tensorOf(tf, a.grad, [n, c, s]);
      const invstd = vec(a.saveinvvar);
      const xhat = tf.mul(tf.sub(tensorOf(tf, a.x, [n, c, s]), vec(a.savemean)), invstd);
      const gsum = tf.sum(g, STAT_AXES, true);
      const gxhat = tf.sum(tf.mul(g, xhat), STAT_AXES, true);
      const centred = tf.sub(tf.sub(tf.mul(g, count), gsum), tf.mul(xhat, gxhat));
      const ingrad = tf.mul(centred, tf.mul(vec(a.scale), tf.div(invstd, count)));
      return [ingrad, gxhat, gsum];
    });
  }

  return { batchNormNd: forward, batchNormNdBackward: backward };
}
