import { fmtShape } from '@puzzle/backend';
import { Transpose } from './transpose.js';

/** numpy swapaxes into a new contiguous array; the backward pass swaps back. Port of PuzzleLib/Modules/SwapAxes.py. */
export class SwapAxes extends Transpose {
  readonly axis1: number;
  readonly axis2: number;

  constructor(axis1: number, axis2: number, opts: { name?: string | null } = {}) {
    super(null, opts);
    if (![axis1, axis2].every((a) => Number.isInteger(a) && a >= 0)) this.fail(`axes must be non-negative integers, got (${axis1}, ${axis2})`);
    [this.axis1, this.axis2] = axis1 > axis2 ? [axis2, axis1] : [axis1, axis2];
  }

  protected override axesFor(ndim: number): number[] {
    const axes = [...Array(ndim).keys()];
    [axes[this.axis1], axes[this.axis2]] = [this.axis2, this.axis1];
    return axes;
  }

  protected override checkRank(ndim: number, shape: readonly number[]): void {
    if (ndim <= this.axis2) this.fail(`expects at least ${this.axis2 + 1}-D data, got ${fmtShape(shape)}`);
  }
}
