import type { Tensor } from '@tensorflow/tfjs-core';
import type { ArrayRef } from '../../../engine/engine.js';
import type { Tf } from '../tfjs-loader.js';
import { asFloat32, storeValues } from '../tfjs-memory.js';
import { tensorOf } from '../tfjs-tensors.js';

/**
 * out[n, c, ...] += bias[c], in place on the engine's host storage. The tfjs cpu backend broadcasts with index
 * arithmetic per element, which made the bias add as slow as the convolution itself.
 */
export function addMapBias(out: ArrayRef, bias: ArrayRef): void {
  const [n, c] = out.shape as [number, number];
  const plane = out.shape.slice(2).reduce((p, d) => p * d, 1);
  const values = asFloat32(out);
  const b = asFloat32(bias);
  for (let map = 0; map < n * c; map++) {
    const v = b[map % c]!;
    for (let i = map * plane; i < (map + 1) * plane; i++) values[i]! += v;
  }
  if (out.dtype !== 'float32') storeValues(out, values);
}

/** Σ over batch and space per map, reducing innermost axes only (tfjs transposes for any other reduction). */
export function mapSums(tf: Tf, grad: ArrayRef): Tensor {
  const [n, c] = grad.shape as [number, number];
  return tf.sum(tf.sum(tensorOf(tf, grad, [n, c, grad.shape.slice(2).reduce((p, d) => p * d, 1)]), 2), 0);
}
