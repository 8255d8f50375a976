import { fmtShape, type GPUArray } from '@puzzle/backend';
import { isShape, type ShapeOf } from './data.js';
import { Dropout, type DropoutOptions } from './dropout.js';

/** Dropout of whole (n, c) maps of an (N, C, H, W) input: one draw per map. */
export class Dropout2D extends Dropout {
  constructor(p = 0.5, opts: DropoutOptions = {}) {
    super(p, opts);
  }

  protected override mapsize(x: GPUArray): number {
    return x.shape[2]! * x.shape[3]!;
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape) || shape.length !== 4) this.fail(`expects a 4-D (N, C, H, W) input, got ${isShape(shape) ? fmtShape(shape) : 'a list'}`);
  }
}
