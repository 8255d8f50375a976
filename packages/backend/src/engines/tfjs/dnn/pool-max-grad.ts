import type { PoolGeometry } from '../../../engine/conv-pool-ops.js';
import type { ArrayRef } from '../../../engine/engine.js';
import { asFloat32, storeValues } from '../tfjs-memory.js';

/**
 * Max pooling backward straight on the engine's host storage: each output gradient goes to the first maximum
 * (row-major) of its window, padding excluded. tfjs's own MaxPoolGrad, and every route through its ops
 * (argmax with scatter, window transposes), runs one to two orders of magnitude slower on the cpu backend, and
 * this op sits in the training loop of every pooled convnet.
 */
export function maxPoolBackward(x: ArrayRef, grad: ArrayRef, out: ArrayRef, geom: PoolGeometry): void {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [, , ho, wo] = grad.shape as [number, number, number, number];
  const [kh, kw] = geom.size as [number, number];
  const [sh, sw] = geom.stride as [number, number];
  const [ph, pw] = geom.pad as [number, number];
  const xs = asFloat32(x);
  const dy = asFloat32(grad);
  // Straight into a float32 output (one pass less over a large array); other dtypes through a float32 copy.
  const dx = out.dtype === 'float32' ? asFloat32(out).fill(0) : new Float32Array(n * c * h * w);
  for (let map = 0; map < n * c; map++) {
    const base = map * h * w;
    for (let oy = 0; oy < ho; oy++) {
      const y0 = Math.max(oy * sh - ph, 0);
      const y1 = Math.min(oy * sh - ph + kh, h);
      for (let ox = 0; ox < wo; ox++) {
        const x0 = Math.max(ox * sw - pw, 0);
        const x1 = Math.min(ox * sw - pw + kw, w);
        // The first maximum in row-major order; plain locals, since this loop runs for every pooled cell.
        let best = base + y0 * w + x0;
        let bestValue = xs[best]!;
        for (let iy = y0; iy < y1; iy++) {
          for (let cell = base + iy * w + x0; cell < base + iy * w + x1; cell++) {
            if (xs[cell]! > bestValue) {
              best = cell;
              bestValue = xs[cell]!;
            }
          }
        }
        dx[best]! += dy[(map * ho + oy) * wo + ox]!;
      }
    }
  }
  if (out.dtype !== 'float32') storeValues(out, dx);
}
