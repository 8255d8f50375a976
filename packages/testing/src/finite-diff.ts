import { Rng } from '@puzzle/backend';

/**
 * Central finite differences of a scalar function of `x` at every coordinate (or at `indices` only).
 * `f` must read `x` afresh on each call; x is restored afterwards.
 */
export function numericGrad(f: () => number, x: Float32Array | Float64Array, eps = 1e-2, indices?: number[]): Float64Array {
  const out = new Float64Array(x.length);
  for (const i of indices ?? x.keys()) {
    const orig = x[i]!;
    x[i] = orig + eps;
    const up = f();
    x[i] = orig - eps;
    const down = f();
    x[i] = orig;
    out[i] = (up - down) / (2 * eps);
  }
  return out;
}

/** Σ w·v in float64: the scalar loss whose gradient with respect to v is w. */
export function weightedSum(v: ArrayLike<number>, w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * w[i]!;
  return s;
}

/** A spread-out subset of indices, so FD on big tensors stays fast. */
export function sampleIndices(length: number, count: number, seed = 7): number[] {
  if (length <= count) return [...Array(length).keys()];
  // A partial Fisher-Yates shuffle: distinct indices in bounded time.
  const rng = new Rng(seed);
  const all = [...Array(length).keys()];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng.uniform() * (length - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, count).sort((a, b) => a - b);
}
