import type { ArrayRef, GemmOptions, ReduceKind } from '../../engine/engine.js';
import type { Float32MatmulPrecision } from '../../engine/matmul-precision.js';
import { CODES, type CudaAddon } from './cuda-addon.js';
import { addressOf, countOf } from './cuda-buffer.js';

/** cuBLAS gemm on row-major arrays; `precision` applies to float32 only (float16 storage is computed in fp32). */
export function gemm(addon: CudaAddon, a: ArrayRef, b: ArrayRef, out: ArrayRef, o: GemmOptions, precision: Float32MatmulPrecision): void {
  const m = out.shape[0]!;
  const n = out.shape[1]!;
  const k = o.transpA ? a.shape[0]! : a.shape[1]!;
  addon.gemm(
    CODES.dtype[a.dtype],
    o.transpA ? 1 : 0,
    o.transpB ? 1 : 0,
    m,
    n,
    k,
    o.alpha,
    addressOf(a),
    addressOf(b),
    o.beta,
    addressOf(out),
    CODES.matmulPrecision[precision],
  );
}

export function sumOnMatrix(addon: CudaAddon, a: ArrayRef, out: ArrayRef, cols: boolean, alpha: number, beta: number): void {
  addon.sumOnMatrix(CODES.dtype[a.dtype], addressOf(a), addressOf(out), a.shape[0]!, a.shape[1]!, cols ? 1 : 0, alpha, beta);
}

export function reduce(addon: CudaAddon, kind: ReduceKind, x: ArrayRef): number {
  return addon.reduce(CODES.reduce[kind], CODES.dtype[x.dtype], addressOf(x), 0, countOf(x));
}

export function dot(addon: CudaAddon, x: ArrayRef, y: ArrayRef): number {
  return addon.reduce(CODES.reduce.dot, CODES.dtype[x.dtype], addressOf(x), addressOf(y), countOf(x));
}

export function addVecToMat(addon: CudaAddon, vec: ArrayRef, mat: ArrayRef, out: ArrayRef, axis: 0 | 1, batch: number, n: number, m: number): void {
  const vecLen = vec.shape[vec.shape.length - 1]!;
  addon.addVecToMat(CODES.dtype[mat.dtype], addressOf(vec), addressOf(mat), addressOf(out), axis, batch, n, m, vecLen);
}

export function argmax(addon: CudaAddon, x: ArrayRef, out: ArrayRef, outer: number, len: number, inner: number): void {
  addon.argmax(CODES.dtype[x.dtype], addressOf(x), addressOf(out), outer, len, inner);
}
