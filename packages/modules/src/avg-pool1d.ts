import { Pool2D, window1d, type Pool1DOptions } from './pool-2d.js';

export interface AvgPool1DOptions extends Pool1DOptions {
  /** Divide by the whole window (true, the default) or only by its cells inside the input. */
  includePad?: boolean;
}

/** Average pooling over (N, C, L), run as 2-D pooling with a (1, size) window. */
export class AvgPool1D extends Pool2D {
  constructor(opts: AvgPool1DOptions = {}) {
    super((opts.includePad ?? true) ? 'avgWithPad' : 'avgNoPad', 1, window1d(opts), opts.name ?? null);
  }
}
