import { fmtShape, Memory, type DType } from '@puzzle/backend';
import { asArrayOf, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';

/** Every axis 0..n−1 exactly once. */
const isPermutation = (axes: readonly number[]) =>
  axes.every((a) => Number.isInteger(a) && a >= 0 && a < axes.length) && new Set(axes).size === axes.length;

/** The permutation that undoes `axes`. */
export function inversePermutation(axes: readonly number[]): number[] {
  const inverse = new Array<number>(axes.length);
  axes.forEach((a, i) => (inverse[a] = i));
  return inverse;
}

/**
 * numpy transpose into a new contiguous array (axes default to reversing them); the backward pass applies the
 * inverse permutation. Base of SwapAxes and MoveAxis, which only choose the permutation.
 * Port of PuzzleLib/Modules/Transpose.py.
 */
export class Transpose extends Module {
  readonly axes: readonly number[] | null;

  constructor(axes: readonly number[] | null = null, opts: { name?: string | null } = {}) {
    super(opts.name ?? null);
    if (axes && !isPermutation(axes)) this.fail(`axes [${axes.join(', ')}] are not a permutation`);
    this.axes = axes;
  }

  /** The permutation applied to data of `ndim` dims. */
  protected axesFor(ndim: number): number[] {
    return this.axes ? [...this.axes] : [...Array(ndim).keys()].reverse();
  }

  /** Throws unless data of `ndim` dims can be permuted. */
  protected checkRank(ndim: number, shape: readonly number[]): void {
    if (this.axes && ndim !== this.axes.length) this.fail(`expects ${this.axes.length}-D data, got ${fmtShape(shape)}`);
  }

  protected updateData(data: Data): Data {
    const x = asArrayOf(data, this);
    return Memory.transpose(x, this.axesFor(x.ndim));
  }

  protected updateGrad(grad: Data): Data {
    const g = asArrayOf(grad, this);
    return Memory.transpose(g, inversePermutation(this.axesFor(g.ndim)));
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    const s = shape as readonly number[];
    return this.axesFor(s.length).map((a) => s[a]!);
  }

  override gradShapeFrom(shape: ShapeOf): ShapeOf {
    const s = shape as readonly number[];
    return inversePermutation(this.axesFor(s.length)).map((a) => s[a]!);
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail('expects a single array');
    this.checkRank(shape.length, shape);
  }

  /** Moving data works for every dtype. */
  override calcMode(dtype: DType): void {
    this.calctype = dtype;
  }
}
