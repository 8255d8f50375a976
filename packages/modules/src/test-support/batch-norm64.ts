/** Float64 batch-norm references over data seen as (N, C, S): statistics per channel over N and S. */

export type View = readonly [number, number, number];

const channel = (i: number, [, c, s]: View) => Math.floor(i / s) % c;

export function stats64(x: ArrayLike<number>, view: View): { mean: Float64Array; variance: Float64Array } {
  const [n, c, s] = view;
  const [mean, variance] = [new Float64Array(c), new Float64Array(c)];
  for (let i = 0; i < x.length; i++) mean[channel(i, view)]! += x[i]! / (n * s);
  for (let i = 0; i < x.length; i++) variance[channel(i, view)]! += (x[i]! - mean[channel(i, view)]!) ** 2 / (n * s);
  return { mean, variance };
}

/** (x − mean)/√(var + ε)·scale + bias per channel. */
export function normalise64(x: ArrayLike<number>, view: View, p: { mean: ArrayLike<number>; variance: ArrayLike<number>; scale: ArrayLike<number>; bias: ArrayLike<number>; epsilon?: number }): Float64Array {
  const eps = p.epsilon ?? 1e-5;
  return Float64Array.from(x, (v, i) => {
    const k = channel(i, view);
    return ((v - p.mean[k]!) / Math.sqrt(p.variance[k]! + eps)) * p.scale[k]! + p.bias[k]!;
  });
}
