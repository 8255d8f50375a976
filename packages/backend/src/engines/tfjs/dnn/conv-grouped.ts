import type { Tensor4D } from '@tensorflow/tfjs-core';
import type { Tf } from '../tfjs-loader.js';

/**
 * Runs a single-group convolution primitive once per group: `a` and `b` are split into `groups` equal parts
 * along their axes, and the results are joined along `joinAxis`.
 */
export function perGroup(
  tf: Tf,
  groups: number,
  [a, aAxis]: [Tensor4D, number],
  [b, bAxis]: [Tensor4D, number],
  joinAxis: number,
  run: (a: Tensor4D, b: Tensor4D) => Tensor4D,
): Tensor4D {
  if (groups === 1) return run(a, b);
  const as = tf.split(a, groups, aAxis) as Tensor4D[];
  const bs = tf.split(b, groups, bAxis) as Tensor4D[];
  return tf.concat(
    as.map((part, g) => run(part, bs[g]!)),
    joinAxis,
  );
}
