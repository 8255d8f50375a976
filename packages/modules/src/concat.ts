import { fmtShape, gpuarray, type DType, type GPUArray } from '@puzzle/backend';
import { asArray, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';
import { integer } from './args.js';

/** Joins a list of arrays along `axis`; the gradient is split back with the remembered sections. */
export class Concat extends Module {
  readonly axis: number;
  /** Sizes along the axis of the last forward's inputs. */
  sections: number[] | null = null;

  constructor(axis: number, opts: { name?: string | null } = {}) {
    super(opts.name ?? null);
    this.axis = integer(this.describe(), 'axis', axis);
  }

  protected updateData(data: Data): Data {
    const xs = data as GPUArray[];
    const ax = this.axisFor(xs[0]!.ndim);
    this.sections = xs.map((x) => x.shape[ax]!);
    return gpuarray.concatenate(xs, ax);
  }

  protected updateGrad(grad: Data): Data {
    const g = asArray(grad, 'Concat');
    return gpuarray.split(g, this.sections!, this.axisFor(g.ndim));
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    const shapes = shape as (readonly number[])[];
    const ax = this.axisFor(shapes[0]!.length);
    const out = [...shapes[0]!];
    out[ax] = shapes.reduce((s, sh) => s + sh[ax]!, 0);
    return out;
  }

  override gradShapeFrom(shape: ShapeOf): ShapeOf {
    if (this.sections === null) this.fail('gradShapeFrom needs a forward pass to know the sections');
    const s = shape as readonly number[];
    const ax = this.axisFor(s.length);
    return this.sections.map((n) => s.map((d, i) => (i === ax ? n : d)));
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (isShape(shape) || shape.length === 0 || !shape.every(isShape)) this.fail('expects a non-empty list of arrays');
    const shapes = shape as (readonly number[])[];
    const first = shapes[0]!;
    const ax = this.axisFor(first.length);
    shapes.forEach((s, i) => {
      if (s.length !== first.length || s.some((d, k) => k !== ax && d !== first[k])) {
        this.fail(`input ${i} of shape ${fmtShape(s)} does not match input 0 of shape ${fmtShape(first)} outside axis ${this.axis}`);
      }
    });
  }

  private axisFor(ndim: number): number {
    const ax = this.axis < 0 ? this.axis + ndim : this.axis;
    if (!Number.isInteger(ax) || ax < 0 || ax >= ndim) this.fail(`axis ${this.axis} is out of range for ${ndim}-D inputs`);
    return ax;
  }

  override calcMode(dtype: DType): void {
    if (dtype === 'int32') this.fail('supports float32 and float16 only');
    this.calctype = dtype;
  }
}
