import type { ArrayRef } from '../../../engine/engine.js';

/** The (N, C, S) view of an (N, C, ...) array: the channel axis in the middle, positions folded behind it. */
export function channelView(ref: ArrayRef): [number, number, number] {
  const [n = 1, c = 1, ...rest] = ref.shape;
  return [n, c, rest.reduce((p, d) => p * d, 1)];
}
