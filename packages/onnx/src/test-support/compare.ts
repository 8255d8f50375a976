import type { HostArray } from '@puzzle/backend';
import { TOLERANCES } from '@puzzle/testing';
import { expect } from 'vitest';

/** Normwise relative error max|a − b| / max|b| (elementwise ratios blow up where b crosses zero). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return Number.isNaN(diff) ? Infinity : diff / Math.max(scale, Number.MIN_VALUE);
}

/**
 * Each output of onnxruntime against Puzzle's: same shapes, a non-zero reference, and a relative error within the
 * onnxRuntime tolerance. Returns the largest error found.
 */
export function expectSameOutputs(actual: readonly HostArray[], expected: readonly HostArray[], what: string): number {
  expect(actual.map((a) => a.shape), `${what}: output shapes`).toEqual(expected.map((e) => e.shape));
  let worst = 0;
  expected.forEach((e, i) => {
    const ref = e.toFloat32();
    expect(ref.some((v) => v !== 0), `${what}: output ${i} is all zeros, which checks nothing`).toBe(true);
    const err = relativeError(actual[i]!.toFloat32(), ref);
    expect(err, `${what}: relative error of output ${i}`).toBeLessThanOrEqual(TOLERANCES.onnxRuntime.rtol);
    worst = Math.max(worst, err);
  });
  return worst;
}
