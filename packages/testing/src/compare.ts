import { expect } from 'vitest';
import type { Tolerance } from './tolerances.js';

/** Elementwise |actual − expected| ≤ atol + rtol·|expected|, reporting the worst element on failure. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance, what = 'values'): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const excess = Math.abs(a - e) - (tol.atol + tol.rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`${what}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (rtol ${tol.rtol}, atol ${tol.atol})`);
  }
}

/** Guards against vacuous checks: the data must not be (nearly) all zeros. */
export function expectNonTrivial(values: ArrayLike<number>, what = 'values'): void {
  let nonzero = 0;
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i]!) > 1e-6) nonzero++;
  expect(nonzero, `${what} should not be all zeros`).toBeGreaterThan(values.length / 2);
}
