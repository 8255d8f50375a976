import type { Tensor } from '@tensorflow/tfjs-core';
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

export function gemm(tf: Tf, a: ArrayRef, b: ArrayRef, out: ArrayRef, o: GemmOptions): void {
  computeInto(tf, [out], () => [blend(tf, tf.matMul(tensorOf(tf, a), tensorOf(tf, b), o.transpA, o.transpB), out, o.alpha, o.beta)]);
}

export function sumOnMatrix(tf: Tf, a: ArrayRef, out: ArrayRef, cols: boolean, alpha: number, beta: number): void {
  computeInto(tf, [out], () => [blend(tf, tf.sum(tensorOf(tf, a), cols ? 0 : 1), out, alpha, beta)]);
}

/** On the host in float64: the values are there already, and the result goes there (see hostSum). */
export function reduce(kind: ReduceKind, x: ArrayRef): number {
  return hostReduce(kind, asFloat32(x));
}

export function dot(x: ArrayRef, y: ArrayRef): number {
  return hostDot(asFloat32(x), asFloat32(y));
}

export function addVecToMat(tf: Tf, vec: ArrayRef, mat: ArrayRef, out: ArrayRef, axis: 0 | 1, batch: number, n: number, m: number): void {
  computeInto(tf, [out], () => {
    const matT = tensorOf(tf, mat, [batch, n, m]);
    if (axis === 0) return [tf.add(matT, tensorOf(tf, vec, [batch, n, 1]))];
    const len = vec.shape[vec.shape.length - 1]!;
    const row = tf.tile(tensorOf(tf, vec, [batch, 1, len]), [1, 1, m / len]);
    return [tf.add(matT, row)];
  });
}

export function argmax(tf: Tf, x: ArrayRef, out: ArrayRef, outer: number, len: number, inner: number): void {
  computeInto(tf, [out], () => [tf.argMax(tensorOf(tf, x, [outer, len, inner]), 1)]);
}
