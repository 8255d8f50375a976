import { kernels, type DType } from '@puzzle/backend';
import { asArray, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';
import { finiteNumber } from './args.js';

/** y = a·x + b; dx = a·g. */
export class MulAddConst extends Module {
  readonly a: number;
  readonly b: number;

  constructor(a = 1.0, b = 0.0, opts: { inplace?: boolean; name?: string | null } = {}) {
    super(opts.name ?? null);
    this.a = finiteNumber(this.describe(), 'a', a);
    this.b = finiteNumber(this.describe(), 'b', b);
    this.inplace = opts.inplace ?? false;
  }

  protected updateData(data: Data): Data {
    const x = asArray(data, 'MulAddConst');
    return kernels.linear(x, this.a, this.b, this.inplace ? x : undefined);
  }

  protected updateGrad(grad: Data): Data {
    const g = asArray(grad, 'MulAddConst');
    return kernels.linear(g, this.a, 0, this.inplace ? g : undefined);
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail('expects a single array');
  }

  override calcMode(dtype: DType): void {
    if (dtype === 'int32') this.fail('supports float32 and float16 only');
    this.calctype = dtype;
  }
}
