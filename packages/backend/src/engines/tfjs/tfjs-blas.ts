import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { ArrayRef, GemmOptions, ReduceKind } from '../../engine/engine.js';
import { hostDot, hostReduce } from './host-reduce.js';
import type { Tf } from './tfjs-loader.js';
import { asFloat32 } from './tfjs-memory.js';
import { computeInto, tensorOf } from './tfjs-tensors.js';

/** result·alpha + out·beta, skipping out when beta is 0 (BLAS: out's contents are then ignored). */
function blend(tf: Tf, result: Tensor, out: ArrayRef, alpha: number, beta: number): Tensor {
  const scaled = alpha === 1 ? result : tf.mul(result, alpha);
  return beta === 0 ? scaled : tf.add(scaled, tf.mul(tensorOf(tf, out), beta));
}

/**
 * op(a)·op(b) as a product of untransposed operands: tfjs-backend-wasm multiplies through XNNPACK only then (its
 * transposed products run a scalar loop, 10–15× slower here), and a transpose is one pass over the operand. An
 * empty inner dimension gives zeros, which the wasm kernel would leave unwritten.
 */
function matMulPlain(tf: Tf, a: Tensor2D, b: Tensor2D, transpA: boolean, transpB: boolean): Tensor2D {
  const [rows, inner] = transpA ? [a.shape[1], a.shape[0]] : a.shape;
  const cols = transpB ? b.shape[0] : b.shape[1];
  if (inner === 0) return tf.zeros([rows, cols]);
  return tf.matMul(transpA ? tf.transpose(a) : a, transpB ? tf.transpose(b) : b);
}

export function gemm(tf: Tf, a: ArrayRef, b: ArrayRef, out: ArrayRef, o: GemmOptions): void {
  computeInto(tf, [out], () => {
    const product = matMulPlain(tf, tensorOf(tf, a) as Tensor2D, tensorOf(tf, b) as Tensor2D, o.transpA, o.transpB);
    return [blend(tf, product, out, o.alpha, o.beta)];
  });
}

/** On the host in float64: the values are there already, and the result goes there (see hostSum). */
export function reduce(kind: ReduceKind, x: ArrayRef): number {
  return hostReduce(kind, asFloat32(x));
}

export function dot(x: ArrayRef, y: ArrayRef): number {
  return hostDot(asFloat32(x), asFloat32(y));
}

export function argmax(tf: Tf, x: ArrayRef, out: ArrayRef, outer: number, len: number, inner: number): void {
  computeInto(tf, [out], () => [tf.argMax(tensorOf(tf, x, [outer, len, inner]), 1)]);
}
