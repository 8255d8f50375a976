import type { TensorOps } from '../../../engine/tensor-ops.js';
import type { Tf } from '../tfjs-loader.js';
import { computeInto, tensorOf } from '../tfjs-tensors.js';

export function axesOps(tf: Tf): Pick<TensorOps, 'transpose'> {
  return {
    transpose(x, out, axes) {
      computeInto(tf, [out], () => [tf.transpose(tensorOf(tf, x), [...axes])]);
    },
  };
}
