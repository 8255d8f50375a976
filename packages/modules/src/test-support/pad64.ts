/** Float64 reference of constant and numpy 'reflect' padding, for the pad module tests. */

export type Mode = 'constant' | 'reflect';

/** Source coordinate of a padded coordinate: −1 for fill cells in constant mode, the mirror in reflect mode. */
function source(i: number, len: number, mode: Mode): number {
  if (i >= 0 && i < len) return i;
  if (mode === 'constant') return -1;
  return i < 0 ? -i : 2 * (len - 1) - i;
}

/** Float64 padding of (outer, H, W) data by (u, b, l, r). */
export function pad64(x: Float64Array, outer: number, [h, w]: readonly [number, number], [u, b, l, r]: readonly number[], mode: Mode, fill: number): Float64Array {
  const [ho, wo] = [h + u! + b!, w + l! + r!];
  const out = new Float64Array(outer * ho * wo);
  for (let o = 0; o < outer; o++) {
    for (let y = 0; y < ho; y++) {
      for (let z = 0; z < wo; z++) {
        const [sy, sz] = [source(y - u!, h, mode), source(z - l!, w, mode)];
        out[(o * ho + y) * wo + z] = sy < 0 || sz < 0 ? fill : x[(o * h + sy) * w + sz]!;
      }
    }
  }
  return out;
}
