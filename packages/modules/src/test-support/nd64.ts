/** Float64 reference helpers for routing-module tests: plain loops over C-ordered data. */

export interface Nd64 {
  data: ArrayLike<number>;
  shape: readonly number[];
}

/** The shape seen as (outer, len, inner) around `axis`. */
export function around(shape: readonly number[], axis: number): [number, number, number] {
  const prod = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);
  return [prod(shape.slice(0, axis)), shape[axis]!, prod(shape.slice(axis + 1))];
}

/** numpy.concatenate. */
export function concat64(parts: readonly Nd64[], axis: number): Float64Array {
  const total = parts.reduce((s, p) => s + p.shape[axis]!, 0);
  const [outer, , inner] = around(parts[0]!.shape, axis);
  const out = new Float64Array(outer * total * inner);
  let offset = 0;
  for (const p of parts) {
    const len = p.shape[axis]!;
    for (let o = 0; o < outer; o++) {
      for (let a = 0; a < len; a++) {
        for (let i = 0; i < inner; i++) out[(o * total + offset + a) * inner + i] = p.data[(o * len + a) * inner + i]!;
      }
    }
    offset += len;
  }
  return out;
}

/** x[..., start:start+len, ...] on `axis`. */
export function take64(x: Nd64, axis: number, start: number, len: number): Float64Array {
  const [outer, total, inner] = around(x.shape, axis);
  const out = new Float64Array(outer * len * inner);
  for (let o = 0; o < outer; o++) {
    for (let a = 0; a < len; a++) {
      for (let i = 0; i < inner; i++) out[(o * len + a) * inner + i] = x.data[(o * total + start + a) * inner + i]!;
    }
  }
  return out;
}
