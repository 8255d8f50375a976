import { Pool2D, window2d, type Pool2DOptions } from './pool-2d.js';

export interface AvgPool2DOptions extends Pool2DOptions {
  /** Divide by the whole window (true, the default) or only by its cells inside the input. */
  includePad?: boolean;
}

/** Average pooling over (N, C, H, W). */
export class AvgPool2D extends Pool2D {
  constructor(opts: AvgPool2DOptions = {}) {
    super((opts.includePad ?? true) ? 'avgWithPad' : 'avgNoPad', 2, window2d(opts), opts.name ?? null);
  }
}
