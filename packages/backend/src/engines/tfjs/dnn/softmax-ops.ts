import type { Tensor } from '@tensorflow/tfjs-core';
import type { ArrayRef } from '../../../engine/engine.js';
import type { TensorOps } from '../../../engine/tensor-ops.js';
import type { Tf } from '../tfjs-loader.js';
import { computeInto, tensorOf } from '../tfjs-tensors.js';
import { channelView } from './axes-view.js';

export function softmaxOps(tf: Tf): Pick<TensorOps, 'softmaxNd' | 'softmaxNdBackward'> {
  const view = (r: ArrayRef, like: ArrayRef = r): Tensor => tensorOf(tf, r, channelView(like));
  return {
    softmaxNd(x, out) {
      computeInto(tf, [out], () => {
        const t = view(x);
        // Shifting by the channel maximum keeps exp from overflowing; tf.softmax only works on the last axis.
        const e = tf.exp(tf.sub(t, tf.max(t, 1, true)));
        return [tf.div(e, tf.sum(e, 1, true))];
      });
    },
    softmaxNdBackward(y, grad, out) {
      computeInto(tf, [out], () => {
        const yt = view(y);
        const g = view(grad, y);
        return [tf.mul(yt, tf.sub(g, tf.sum(tf.mul(yt, g), 1, true)))];
      });
    },
  };
}
