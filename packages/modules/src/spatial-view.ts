import type { GPUArray } from '@puzzle/backend';

export type Pair = [number, number];

/** A number or a per-axis pair, as a pair (other lengths are left for the layer's validation to reject). */
export function pairOf(value: number | readonly number[]): Pair {
  return typeof value === 'number' ? [value, value] : ([...value] as Pair);
}

/** Spatial axes a module works on: 1-D modules view (N, C, L) data as (N, C, 1, L) and run the 2-D ops. */
export type SpatialDims = 1 | 2;

/** A 4-D view of `a` for the 2-D ops: (N, C, L) → (N, C, 1, L); 4-D arrays get a plain view. Dispose it after use. */
export function as2d(a: GPUArray, dims: SpatialDims): GPUArray {
  const s = a.shape;
  return dims === 1 ? a.reshape(s[0]!, s[1]!, 1, s[2]!) : a.reshape(s as number[]);
}

/** The 4-D shape the 2-D ops see for a module-level shape. */
export function shape2d(shape: readonly number[], dims: SpatialDims): number[] {
  return dims === 1 ? [shape[0]!, shape[1]!, 1, shape[2]!] : [...shape];
}

/** Back from a 4-D shape to the module's rank. */
export function shapeFrom2d(shape: readonly number[], dims: SpatialDims): number[] {
  return dims === 1 ? [shape[0]!, shape[1]!, shape[3]!] : [...shape];
}

/** A 4-D result as the module's output: 1-D modules take a (N, C, L) view and drop the 4-D handle. */
export function from2d(a: GPUArray, dims: SpatialDims): GPUArray {
  if (dims === 2) return a;
  const view = a.reshape(shapeFrom2d(a.shape, 1));
  a.dispose();
  return view;
}

/** Runs `fn` on 4-D views of `arrays`, disposing the views afterwards. */
export function with2d<T>(arrays: GPUArray[], dims: SpatialDims, fn: (views: GPUArray[]) => T): T {
  const views: GPUArray[] = [];
  try {
    // Inside the try: views already made are disposed even when a later one cannot be made.
    for (const a of arrays) views.push(as2d(a, dims));
    return fn(views);
  } finally {
    for (const v of views) v.dispose();
  }
}

export const LAYOUTS: Record<SpatialDims, string> = { 1: '(N, C, L)', 2: '(N, C, H, W)' };
