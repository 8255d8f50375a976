import type { TensorOps } from '../../../engine/tensor-ops.js';
import type { Tf } from '../tfjs-loader.js';
import { computeInto, tensorOf } from '../tfjs-tensors.js';

export function embedOps(tf: Tf): Pick<TensorOps, 'embed' | 'embedBackwardParams'> {
  return {
    embed(indices, W, out) {
      computeInto(tf, [out], () => {
        const idx = tensorOf(tf, indices, [indices.shape.reduce((p, d) => p * d, 1)]);
        const rows = tf.gather(tensorOf(tf, W), tf.maximum(idx, tf.scalar(0, 'int32')));
        const present = tf.cast(tf.greaterEqual(idx, 0), 'float32');
        return [tf.mul(rows, tf.expandDims(present, 1))];
      });
    },
    embedBackwardParams(indices, grad, wgrad, alpha, beta) {
      const [vocab, width] = wgrad.shape as [number, number];
      computeInto(tf, [wgrad], () => {
        const count = indices.shape.reduce((p, d) => p * d, 1);
        const idx = tensorOf(tf, indices, [count]);
        // Index −1 goes to an extra row past the vocabulary, dropped afterwards. ScatterNd adds the rows of repeated
        // indices, as UnsortedSegmentSum would; the wasm backend has only the former.
        const rowsOf = tf.reshape(tf.where(tf.less(idx, 0), tf.fill([count], vocab, 'int32'), idx), [count, 1]);
        const rows = tensorOf(tf, grad, [count, width]);
        const scattered = tf.slice(tf.scatterND(rowsOf, rows, [vocab + 1, width]), [0, 0], [vocab, width]);
        return [tf.add(tf.mul(scattered, alpha), tf.mul(tensorOf(tf, wgrad), beta))];
      });
    },
  };
}
