import type { ReduceKind } from '../../engine/engine.js';

type Values = ArrayLike<number>;

/**
 * Σ values in float64. Whole-array sums return to the host anyway, and tfjs-backend-wasm's Sum accumulates in
 * float32 from the first element to the last: over a million values its error grows past the engine's tolerance.
 */
export function hostSum(values: Values): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum;
}

function hostL1(values: Values): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.abs(values[i]!);
  return sum;
}

function hostExtreme(values: Values, max: boolean): number {
  let best = max ? -Infinity : Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // NaN wins, as in tfjs' reductions and the cuda kernels.
    if (Number.isNaN(v)) return NaN;
    if (max ? v > best : v < best) best = v;
  }
  return best;
}

/** A whole-array reduction of float values on the host, accumulated in float64. */
export function hostReduce(kind: ReduceKind, values: Values): number {
  switch (kind) {
    case 'sum':
      return hostSum(values);
    case 'l1':
      return hostL1(values);
    case 'min':
      return hostExtreme(values, false);
    case 'max':
      return hostExtreme(values, true);
  }
}

/** Both extremes in one pass (the label range check). */
export function hostExtremes(values: Values): { min: number; max: number } {
  return { min: hostExtreme(values, false), max: hostExtreme(values, true) };
}

/** Σ x·y in float64. */
export function hostDot(x: Values, y: Values): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]! * y[i]!;
  return sum;
}
