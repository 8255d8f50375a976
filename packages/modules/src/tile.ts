import { Blas, fmtShape, gpuarray, type DType } from '@puzzle/backend';
import { asArray, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';

/** `times` copies of the input joined along `axis` (PuzzleLib's tile); the gradient sums the equal pieces. */
export class Tile extends Module {
  readonly axis: number;
  readonly times: number;

  constructor(axis: number, times: number, opts: { name?: string | null } = {}) {
    super(opts.name ?? null);
    if (!Number.isInteger(times) || times < 1) this.fail(`times must be a positive integer, got ${times}`);
    this.axis = axis;
    this.times = times;
  }

  protected updateData(data: Data): Data {
    const x = asArray(data, 'Tile');
    return gpuarray.tile(x, this.times, this.axisFor(x.ndim));
  }

  protected updateGrad(grad: Data): Data {
    const g = asArray(grad, 'Tile');
    const ax = this.axisFor(g.ndim);
    const [sum, ...rest] = gpuarray.split(g, new Array<number>(this.times).fill(g.shape[ax]! / this.times), ax);
    for (const piece of rest) {
      Blas.toVectorAddVector(sum!, piece);
      piece.dispose();
    }
    return sum!;
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    return this.resized(shape as readonly number[], (d) => d * this.times);
  }

  override gradShapeFrom(shape: ShapeOf): ShapeOf {
    return this.resized(shape as readonly number[], (d) => d / this.times);
  }

  private resized(shape: readonly number[], size: (dim: number) => number): number[] {
    const ax = this.axisFor(shape.length);
    return shape.map((d, i) => (i === ax ? size(d) : d));
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail('expects a single array');
    if (shape.length === 0) this.fail(`cannot tile a scalar ${fmtShape(shape)}`);
    this.axisFor(shape.length);
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
