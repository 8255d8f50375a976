/**
 * erf in float64 by its Maclaurin series (|x| ≤ 4, where the terms' cancellation still leaves ~1e-9 accuracy);
 * beyond that erf is ±1 to within 2e-8.
 */
export function erf64(x: number): number {
  if (Math.abs(x) > 4) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-17; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
