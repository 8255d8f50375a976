import { Pool2D, window1d, type Pool1DOptions } from './pool-2d.js';

/** Max pooling over (N, C, L), run as 2-D pooling with a (1, size) window. */
export class MaxPool1D extends Pool2D {
  constructor(opts: Pool1DOptions = {}) {
    super('max', 1, window1d(opts), opts.name ?? null);
  }
}
