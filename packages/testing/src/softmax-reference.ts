/** Float64 softmax of x viewed as (outer, len, inner), along len. */
export function softmax64(x: ArrayLike<number>, outer: number, len: number, inner: number): Float64Array {
  const out = new Float64Array(outer * len * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (c: number) => (o * len + c) * inner + i;
      let max = -Infinity;
      for (let c = 0; c < len; c++) max = Math.max(max, x[at(c)]!);
      let z = 0;
      for (let c = 0; c < len; c++) z += Math.exp(x[at(c)]! - max);
      for (let c = 0; c < len; c++) out[at(c)] = Math.exp(x[at(c)]! - max) / z;
    }
  }
  return out;
}
