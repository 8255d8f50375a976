import type { Tensor } from '@tensorflow/tfjs-core';
import type { ArrayRef } from '../../../engine/engine.js';
import type { PadWidths, TensorOps } from '../../../engine/tensor-ops.js';
import type { Tf } from '../tfjs-loader.js';
import { computeInto, tensorOf } from '../tfjs-tensors.js';

/** The shape with the leading (unpadded) dims folded into one: (outer, d1, ..., dk). */
function foldLeading(shape: readonly number[], k: number): number[] {
  const lead = shape.slice(0, shape.length - k).reduce((p, d) => p * d, 1);
  return [lead, ...shape.slice(shape.length - k)];
}

export function reflectPadOps(tf: Tf): Pick<TensorOps, 'reflectPad' | 'reflectPadBackward'> {
  /** Adjoint of reflect-padding one axis by (l, r) to a length-`len` input: interior plus mirrored borders. */
  function foldAxis(g: Tensor, axis: number, [l, r]: readonly [number, number], len: number): Tensor {
    const part = (start: number, size: number) => {
      const begin = g.shape.map((_, i) => (i === axis ? start : 0));
      const sizes = g.shape.map((d, i) => (i === axis ? size : d));
      return tf.slice(g, begin, sizes);
    };
    const widths = (before: number, after: number) => g.shape.map((_, i): [number, number] => (i === axis ? [before, after] : [0, 0]));
    let sum = part(l, len);
    // Output cell l−j mirrors input cell j (1 ≤ j ≤ l); output cell l+len−1+j mirrors input cell len−1−j.
    if (l > 0) sum = tf.add(sum, tf.pad(tf.reverse(part(0, l), axis), widths(1, len - 1 - l)));
    if (r > 0) sum = tf.add(sum, tf.pad(tf.reverse(part(l + len, r), axis), widths(len - 1 - r, 1)));
    return sum;
  }

  return {
    reflectPad(x: ArrayRef, out: ArrayRef, pads: PadWidths) {
      computeInto(tf, [out], () => {
        const t = tensorOf(tf, x, foldLeading(x.shape, pads.length));
        return [tf.mirrorPad(t, [[0, 0], ...pads.map(([l, r]): [number, number] => [l, r])], 'reflect')];
      });
    },
    reflectPadBackward(grad: ArrayRef, out: ArrayRef, pads: PadWidths) {
      computeInto(tf, [out], () => {
        const inShape = foldLeading(out.shape, pads.length);
        let g = tensorOf(tf, grad, foldLeading(grad.shape, pads.length));
        pads.forEach((p, i) => (g = foldAxis(g, i + 1, p, inShape[i + 1]!)));
        return [g];
      });
    },
  };
}
