import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { ArrayRef, GemmOptions, ReduceKind } from '../../engine/engine.js';
import { hostDot, hostReduce } from './host-reduce.js';
import type { Tf } from './tfjs-loader.js';
import { asFloat32 } from './tfjs-memory.js';
import { computeInto, tensorOf } from './tfjs-tensors.js';

/**
 * result·alpha + out·beta, skipping out when beta is 0 (BLAS: out's contents are then ignored) and each product by 1
 * (beta is 1 for every gradient a container accumulates): each is a pass over the result.
 */
function blend(tf: Tf, result: Tensor, out: ArrayRef, alpha: number, beta: number): Tensor {
  const scaled = alpha === 1 ? result : tf.mul(result, alpha);
  if (beta === 0) return scaled;
  const old = tensorOf(tf, out);
  return tf.add(scaled, beta === 1 ? old : tf.mul(old, beta));
}

const size = (t: Tensor2D): number => t.shape[0] * t.shape[1];

/**
 * op(a)·op(b) as a product of untransposed operands: tfjs-backend-wasm multiplies through XNNPACK only then (its
 * transposed products run a scalar loop, 10–15× slower here), and XNNPACK repacks the right operand on every call.
 * Transposes and that repacking are each about a pass over the values, so the product is computed as it is or as
 * (op(b)ᵀ·op(a)ᵀ)ᵀ, whichever moves fewer: for a Linear's input gradient, grad·Wᵀ becomes (W·gradᵀ)ᵀ and W is
 * neither transposed nor repacked. An empty inner dimension gives zeros, which the wasm kernel leaves unwritten.
 */
function matMulPlain(tf: Tf, a: Tensor2D, b: Tensor2D, transpA: boolean, transpB: boolean): Tensor2D {
  const [rows, inner] = transpA ? [a.shape[1], a.shape[0]] : a.shape;
  const cols = transpB ? b.shape[0] : b.shape[1];
  if (inner === 0) return tf.zeros([rows, cols]);
  const direct = (transpA ? size(a) : 0) + (transpB ? size(b) : 0) + size(b);
  const swapped = (transpA ? 0 : size(a)) + (transpB ? 0 : size(b)) + rows * cols + size(a);
  if (direct <= swapped) return tf.matMul(transpA ? tf.transpose(a) : a, transpB ? tf.transpose(b) : b);
  return tf.transpose(tf.matMul(transpB ? b : tf.transpose(b), transpA ? a : tf.transpose(a)));
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
