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
  const dx = new Float32Array(n * c * h * w);
  for (let map = 0; map < n * c; map++) {
    const base = map * h * w;
    for (let oy = 0; oy < ho; oy++) {
      const [y0, y1] = [Math.max(oy * sh - ph, 0), Math.min(oy * sh - ph + kh, h)];
      for (let ox = 0; ox < wo; ox++) {
        const [x0, x1] = [Math.max(ox * sw - pw, 0), Math.min(ox * sw - pw + kw, w)];
        let best = -1;
        let bestValue = -Infinity;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) {
            const cell = base + iy * w + ix;
            if (best < 0 || xs[cell]! > bestValue) [best, bestValue] = [cell, xs[cell]!];
          }
        }
        dx[best]! += dy[(map * ho + oy) * wo + ox]!;
      }
    }
  }
  storeValues(out, dx);
}
