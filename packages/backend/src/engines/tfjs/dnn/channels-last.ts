import type { ArrayRef } from '../../../engine/engine.js';
import { asFloat32, storeValues } from '../tfjs-memory.js';

// Convolutions compute on rows of channels (N, positions, C: channels last, as XNNPACK does) while the engine stores
// NCHW. These move between the two on the host, where the values are copied anyway: one pass, no transpose kernel.

/** NCHW values (n, c, positions) as channels-last rows (n·positions, c). */
export function channelsLast(values: Float32Array, n: number, c: number, positions: number): Float32Array {
  if (c === 1) return values;
  const rows = new Float32Array(values.length);
  for (let b = 0; b < n; b++) {
    const base = b * c * positions;
    for (let ch = 0; ch < c; ch++) {
      const from = base + ch * positions;
      for (let p = 0; p < positions; p++) rows[base + p * c + ch] = values[from + p]!;
    }
  }
  return rows;
}

/** Stores channels-last rows (n·positions, c) into an NCHW array (n, c, positions). */
export function storeChannelsFirst(out: ArrayRef, rows: ArrayLike<number>, n: number, c: number): void {
  const positions = rows.length / (n * c);
  const values = out.dtype === 'float32' ? asFloat32(out) : new Float32Array(rows.length);
  for (let b = 0; b < n; b++) {
    const base = b * c * positions;
    for (let p = 0; p < positions; p++) {
      const from = base + p * c;
      for (let ch = 0; ch < c; ch++) values[base + ch * positions + p] = rows[from + ch]!;
    }
  }
  if (out.dtype !== 'float32') storeValues(out, values);
}

/** NCHW values (n, c, positions) as maps (c, n·positions): each map's positions over the whole batch, in a row. */
export function mapsFirst(values: Float32Array, n: number, c: number, positions: number): Float32Array {
  if (n === 1) return values;
  const maps = new Float32Array(values.length);
  for (let ch = 0; ch < c; ch++) {
    for (let b = 0; b < n; b++) maps.set(values.subarray((b * c + ch) * positions, (b * c + ch + 1) * positions), (ch * n + b) * positions);
  }
  return maps;
}
