import { fmtShape } from '@puzzle/backend';
import { Transpose } from './transpose.js';

/**
 * numpy moveaxis into a new contiguous array: axis `src` goes to position `dst`, the others keep their order;
 * the backward pass moves it back. A trivial move (src == dst) is an error. Port of PuzzleLib/Modules/MoveAxis.py.
 */
export class MoveAxis extends Transpose {
  readonly src: number;
  readonly dst: number;

  constructor(src: number, dst: number, opts: { name?: string | null } = {}) {
    super(null, opts);
    if (![src, dst].every((a) => Number.isInteger(a) && a >= 0)) this.fail(`axes must be non-negative integers, got (${src}, ${dst})`);
    if (src === dst) this.fail(`a trivial axis move (${src} → ${dst}) is treated as an error`);
    this.src = src;
    this.dst = dst;
  }

  protected override axesFor(ndim: number): number[] {
    const axes = [...Array(ndim).keys()].filter((a) => a !== this.src);
    axes.splice(this.dst, 0, this.src);
    return axes;
  }

  protected override checkRank(ndim: number, shape: readonly number[]): void {
    const needed = Math.max(this.src, this.dst) + 1;
    if (ndim < needed) this.fail(`expects at least ${needed}-D data, got ${fmtShape(shape)}`);
  }
}
