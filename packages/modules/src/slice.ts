import { fmtShape, gpuarray, type DType, type SliceRange } from '@puzzle/backend';
import { asArray, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';

/**
 * Copies a sub-block `x[ranges]` (ranges as GPUArray.slice: [start, stop) with negatives wrapping, an integer that
 * drops the axis, or null for the whole axis); the gradient is zeros with g written at the slice.
 */
export class Slice extends Module {
  slc: readonly SliceRange[] | null;
  private inshape: readonly number[] | null = null;

  constructor(slc: readonly SliceRange[] | null = null, opts: { name?: string | null } = {}) {
    super(opts.name ?? null);
    this.slc = slc;
  }

  /** Sets the ranges afterwards (PuzzleLib's `Slice()[...]`); chainable. */
  select(...ranges: SliceRange[]): this {
    this.slc = ranges;
    return this;
  }

  protected updateData(data: Data): Data {
    const x = asArray(data, 'Slice');
    this.inshape = x.shape;
    const view = x.slice(...this.slc!);
    const out = view.copy();
    view.dispose();
    return out;
  }

  protected updateGrad(grad: Data): Data {
    const g = asArray(grad, 'Slice');
    const out = gpuarray.zeros(this.inshape!, g.dtype);
    const window = out.slice(...this.slc!);
    window.set(g);
    window.dispose();
    return out;
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    const s = shape as readonly number[];
    if (this.slc === null) this.fail('has no slice set');
    if (this.slc.length > s.length) this.fail(`has ${this.slc.length} ranges for an input of shape ${fmtShape(s)}`);
    return s.flatMap((dim, axis) => {
      const r = this.slc![axis] ?? null;
      if (r === null) return [dim];
      if (typeof r === 'number') {
        if (!Number.isInteger(r) || r < -dim || r >= dim) this.fail(`index ${r} is out of range for axis ${axis} of ${fmtShape(s)}`);
        return [];
      }
      const [start, stop] = r.map((i) => (i < 0 ? i + dim : i)) as [number, number];
      if (!Number.isInteger(start) || !Number.isInteger(stop) || start < 0 || stop > dim || start > stop) {
        this.fail(`range [${r[0]}, ${r[1]}) is out of bounds for axis ${axis} of ${fmtShape(s)}`);
      }
      return [stop - start];
    });
  }

  override gradShapeFrom(_shape: ShapeOf): ShapeOf {
    if (this.inshape === null) this.fail('gradShapeFrom needs a forward pass to know the input shape');
    return this.inshape;
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail('expects a single array');
    this.dataShapeFrom(shape);
  }

  override calcMode(dtype: DType): void {
    this.calctype = dtype;
  }
}
