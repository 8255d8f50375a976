import { Pool2D, window2d, type Pool2DOptions } from './pool-2d.js';

/** Max pooling over (N, C, H, W): padding counts as −∞, the gradient goes to each window's first maximum. */
export class MaxPool2D extends Pool2D {
  constructor(opts: Pool2DOptions = {}) {
    super('max', 2, window2d(opts), opts.name ?? null);
  }
}
