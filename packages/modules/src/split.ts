import { fmtShape, gpuarray, type DType, type GPUArray } from '@puzzle/backend';
import { asArray, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';

/** Cuts an array along `axis` into pieces of the given sizes; the gradient list is concatenated back. */
export class Split extends Module {
  readonly axis: number;
  readonly sections: readonly number[];

  constructor(axis: number, sections: readonly number[], opts: { name?: string | null } = {}) {
    super(opts.name ?? null);
    if (sections.length === 0 || sections.some((n) => !Number.isInteger(n) || n < 0)) {
      this.fail(`sections must be a non-empty list of sizes, got [${sections.join(', ')}]`);
    }
    this.axis = axis;
    this.sections = [...sections];
  }

  protected updateData(data: Data): Data {
    const x = asArray(data, 'Split');
    return gpuarray.split(x, this.sections, this.axisFor(x.ndim));
  }

  protected updateGrad(grad: Data): Data {
    const gs = grad as GPUArray[];
    return gpuarray.concatenate(gs, this.axisFor(gs[0]!.ndim));
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    const s = shape as readonly number[];
    const ax = this.axisFor(s.length);
    return this.sections.map((n) => s.map((d, i) => (i === ax ? n : d)));
  }

  override gradShapeFrom(shape: ShapeOf): ShapeOf {
    const shapes = shape as (readonly number[])[];
    const ax = this.axisFor(shapes[0]!.length);
    return shapes[0]!.map((d, i) => (i === ax ? shapes.reduce((s, sh) => s + sh[ax]!, 0) : d));
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail('expects a single array');
    const ax = this.axisFor(shape.length);
    const total = this.sections.reduce((s, n) => s + n, 0);
    if (shape[ax] !== total) {
      this.fail(`sections [${this.sections.join(', ')}] sum to ${total}, input ${fmtShape(shape)} has ${shape[ax]} on axis ${this.axis}`);
    }
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
