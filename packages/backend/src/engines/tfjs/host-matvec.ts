import type { ArrayRef } from '../../engine/engine.js';
import { asFloat32, storeValues } from './tfjs-memory.js';

// Matrix-vector ops of the training loop's every layer (the bias add, the bias gradient) straight on the engine's
// host storage: one pass each, where tfjs would copy both operands into the backend, broadcast (a tile for repeated
// vectors, a transpose for column sums) and copy the result back.

/** Stores float values computed for `out`, rounding them once (float16 and int32 through storeValues). */
function store(out: ArrayRef, values: Float32Array | Float64Array): void {
  if (values instanceof Float32Array && out.dtype === 'float32') return; // computed in place
  storeValues(out, values);
}

/** mat viewed as (batch, n, m); axis 1: out[b,i,j] = mat[b,i,j] + vec[b, j % len]; axis 0: + vec[b, i]. */
export function addVecToMat(vec: ArrayRef, mat: ArrayRef, out: ArrayRef, axis: 0 | 1, batch: number, n: number, m: number): void {
  const v = asFloat32(vec);
  const x = asFloat32(mat);
  // In place when out is float32 (it may be mat itself: every element is read before it is written).
  const y = out.dtype === 'float32' ? asFloat32(out) : new Float32Array(batch * n * m);
  const len = axis === 1 ? vec.shape[vec.shape.length - 1]! : n;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < n; i++) {
      const row = (b * n + i) * m;
      if (axis === 0) {
        const add = v[b * n + i]!;
        for (let j = 0; j < m; j++) y[row + j] = x[row + j]! + add;
        continue;
      }
      // m is a whole number of vector lengths: the vector repeats along the row.
      for (let start = row; start < row + m; start += len) {
        for (let k = 0; k < len; k++) y[start + k] = x[start + k]! + v[b * len + k]!;
      }
    }
  }
  store(out, y);
}

/** 2-D a: cols → sums over axis 0, else over axis 1, accumulated in float64; out = alpha·sum + beta·out. */
export function sumOnMatrix(a: ArrayRef, out: ArrayRef, cols: boolean, alpha: number, beta: number): void {
  const [rows, width] = a.shape as [number, number];
  const x = asFloat32(a);
  const sums = new Float64Array(cols ? width : rows);
  for (let r = 0; r < rows; r++) {
    if (cols) for (let c = 0; c < width; c++) sums[c]! += x[r * width + c]!;
    else for (let c = 0; c < width; c++) sums[r]! += x[r * width + c]!;
  }
  // BLAS: with beta 0, out's old contents (NaN included) are ignored.
  const old = beta === 0 ? null : asFloat32(out);
  for (let i = 0; i < sums.length; i++) sums[i] = alpha * sums[i]! + (old ? beta * old[i]! : 0);
  store(out, sums);
}
