import { fmtShape, type DType } from '@puzzle/backend';
import { asArray, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';
import { reshapeView } from './reshape-view.js';

/** A view with a new shape: 0 copies the input dimension at that position, one -1 is inferred. */
export class Reshape extends Module {
  readonly shape: readonly number[];
  private inshape: readonly number[] | null = null;

  constructor(shape: readonly number[], opts: { name?: string | null } = {}) {
    super(opts.name ?? null);
    if (shape.some((d) => !Number.isInteger(d) || d < -1) || shape.filter((d) => d === -1).length > 1) {
      this.fail(`invalid target shape ${fmtShape(shape)} (non-negative sizes, 0 to copy an axis, at most one -1)`);
    }
    this.shape = [...shape];
    this.movesData = true;
    this.movesGrad = true;
  }

  protected updateData(data: Data): Data {
    const x = asArray(data, 'Reshape');
    this.inshape = x.shape;
    return reshapeView(x, this.dataShapeFrom(x.shape) as number[]);
  }

  protected updateGrad(grad: Data): Data {
    return reshapeView(asArray(grad, 'Reshape'), this.inshape!);
  }

  /** The target with zeros copied from `inshape` and -1 resolved; null when the sizes cannot match. */
  private resolve(inshape: readonly number[]): number[] | null {
    if (this.shape.some((d, i) => d === 0 && i >= inshape.length)) return null;
    const target = this.shape.map((d, i) => (d === 0 ? inshape[i]! : d));
    const size = inshape.reduce((p, d) => p * d, 1);
    const known = target.reduce((p, d) => (d === -1 ? p : p * d), 1);
    const free = target.indexOf(-1);
    if (free < 0) return known === size ? target : null;
    if (known === 0 || size % known !== 0) return null;
    target[free] = size / known;
    return target;
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    const target = this.resolve(shape as readonly number[]);
    if (target === null) this.fail(`cannot reshape ${fmtShape(shape as readonly number[])} into ${fmtShape(this.shape)}`);
    return target;
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
