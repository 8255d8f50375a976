import { HostArray, Rng } from '@puzzle/backend';

// Float64 plain-loop references of 2-D pooling on NCHW data (tests only).

export type PoolRefMode = 'max' | 'avgWithPad' | 'avgNoPad';

export interface PoolRefGeometry {
  size: [number, number];
  stride: [number, number];
  pad: [number, number];
  mode: PoolRefMode;
}

/** o = floor((i + 2p − k)/s) + 1. */
export function poolShape64(xShape: readonly number[], g: PoolRefGeometry): number[] {
  const out = (a: 0 | 1) => Math.floor((xShape[2 + a]! + 2 * g.pad[a] - g.size[a]) / g.stride[a]) + 1;
  return [xShape[0]!, xShape[1]!, out(0), out(1)];
}

/** Calls visit(outIndex, inIndices) with the flat indices of the real (non-pad) cells of every window, row-major. */
function forEachWindow(xShape: readonly number[], g: PoolRefGeometry, visit: (yi: number, cells: number[]) => void): void {
  const [, , h, w] = xShape as number[];
  const yShape = poolShape64(xShape, g);
  const maps = xShape[0]! * xShape[1]!;
  for (let m = 0; m < maps; m++)
    for (let oy = 0; oy < yShape[2]!; oy++)
      for (let ox = 0; ox < yShape[3]!; ox++) {
        const cells: number[] = [];
        for (let ky = 0; ky < g.size[0]; ky++)
          for (let kx = 0; kx < g.size[1]; kx++) {
            const iy = oy * g.stride[0] - g.pad[0] + ky;
            const ix = ox * g.stride[1] - g.pad[1] + kx;
            if (iy >= 0 && iy < h! && ix >= 0 && ix < w!) cells.push((m * h! + iy) * w! + ix);
          }
        visit((m * yShape[2]! + oy) * yShape[3]! + ox, cells);
      }
}

/** The cell of the first maximum (row-major), as padding counts as −∞. */
function firstMax(x: ArrayLike<number>, cells: number[]): number {
  return cells.reduce((best, c) => (x[c]! > x[best]! ? c : best), cells[0]!);
}

/** What each real cell of a window receives from the window's output (the averaging weight). */
function avgWeight(g: PoolRefGeometry, cells: number[]): number {
  return 1 / (g.mode === 'avgWithPad' ? g.size[0] * g.size[1] : cells.length);
}

export function pool64(x: ArrayLike<number>, xShape: readonly number[], g: PoolRefGeometry) {
  const shape = poolShape64(xShape, g);
  const y = new Float64Array(shape.reduce((p, d) => p * d, 1));
  forEachWindow(xShape, g, (yi, cells) => {
    if (g.mode === 'max') y[yi] = x[firstMax(x, cells)]!;
    else y[yi] = cells.reduce((s, c) => s + x[c]!, 0) * avgWeight(g, cells);
  });
  return { y, shape };
}

export function poolBackward64(x: ArrayLike<number>, xShape: readonly number[], dy: ArrayLike<number>, g: PoolRefGeometry): Float64Array {
  const dx = new Float64Array(xShape.reduce((p, d) => p * d, 1));
  forEachWindow(xShape, g, (yi, cells) => {
    if (g.mode === 'max') dx[firstMax(x, cells)]! += dy[yi]!;
    else for (const c of cells) dx[c]! += dy[yi]! * avgWeight(g, cells);
  });
  return dx;
}

/**
 * Distinct values at least `spacing` apart in a seeded random order: max pooling then has no near-ties, so finite
 * differences with a step below spacing/2 never switch a window's maximum.
 */
export function distinctData(shape: number[], seed: number, spacing = 0.1): { host: HostArray; f64: Float64Array } {
  const n = shape.reduce((p, d) => p * d, 1);
  const rng = new Rng(seed);
  const values = Float32Array.from({ length: n }, (_, i) => (i - n / 2) * spacing);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return { host: new HostArray(values, shape, 'float32'), f64: Float64Array.from(values) };
}
