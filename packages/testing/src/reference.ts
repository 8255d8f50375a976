import { HostArray, Rng } from '@puzzle/backend';

/** Fresh seeded normal data as float32 (what goes to the engine) and float64 (what the reference uses). */
export function randomData(shape: number[], seed: number, scale = 1, shift = 0): { host: HostArray; f64: Float64Array } {
  const rng = new Rng(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const f32 = new Float32Array(n);
  for (let i = 0; i < n; i++) f32[i] = shift + scale * rng.normal();
  return { host: new HostArray(f32, shape, 'float32'), f64: Float64Array.from(f32) };
}

/** Uniform data in [low, high). */
export function uniformData(shape: number[], seed: number, low: number, high: number): { host: HostArray; f64: Float64Array } {
  const rng = new Rng(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const f32 = new Float32Array(n);
  for (let i = 0; i < n; i++) f32[i] = low + (high - low) * rng.uniform();
  return { host: new HostArray(f32, shape, 'float32'), f64: Float64Array.from(f32) };
}

export function toF64(h: HostArray): Float64Array {
  return Float64Array.from(h.toFloat32());
}

/** C (m×n) = op(A)·op(B) in float64; A is (m×k) or (k×m) when transposed, B likewise. */
export function matmul64(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  transpA = false,
  transpB = false,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = transpA ? a[p * m + i]! : a[i * k + p]!;
        const bv = transpB ? b[j * k + p]! : b[p * n + j]!;
        s += av * bv;
      }
      out[i * n + j] = s;
    }
  }
  return out;
}
