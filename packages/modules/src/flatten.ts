import { fmtShape, type DType } from '@puzzle/backend';
import { asArray, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';
import { reshapeView } from './reshape-view.js';

/** (N, d1, d2, ...) → (N, d1·d2·...); the gradient is reshaped back. */
export class Flatten extends Module {
  private inshape: readonly number[] | null = null;

  constructor(opts: { name?: string | null } = {}) {
    super(opts.name ?? null);
    this.movesData = true;
    this.movesGrad = true;
  }

  protected updateData(data: Data): Data {
    const x = asArray(data, 'Flatten');
    this.inshape = x.shape;
    return reshapeView(x, this.dataShapeFrom(x.shape) as number[]);
  }

  protected updateGrad(grad: Data): Data {
    return reshapeView(asArray(grad, 'Flatten'), this.inshape!);
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    const s = shape as readonly number[];
    return [s[0]!, s.slice(1).reduce((p, d) => p * d, 1)];
  }

  override gradShapeFrom(shape: ShapeOf): ShapeOf {
    if (this.inshape === null) this.fail('gradShapeFrom needs a forward pass to know the input shape');
    return [(shape as readonly number[])[0]!, ...this.inshape.slice(1)];
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail('expects a single array');
    if (shape.length < 1) this.fail(`expects an input with a batch axis, got ${fmtShape(shape)}`);
  }

  override calcMode(dtype: DType): void {
    this.calctype = dtype;
  }
}
