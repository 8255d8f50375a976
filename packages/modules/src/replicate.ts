import { type DType, type GPUArray } from '@puzzle/backend';
import { asArray, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';
import { sumArrays } from './sum-arrays.js';

/** One input, `times` outputs that are views of it; the input gradient is the sum of the output gradients. */
export class Replicate extends Module {
  readonly times: number;

  constructor(times: number, opts: { name?: string | null } = {}) {
    super(opts.name ?? null);
    if (!Number.isInteger(times) || times < 1) this.fail(`times must be a positive integer, got ${times}`);
    this.times = times;
    this.movesData = true;
  }

  protected updateData(data: Data): Data {
    return new Array<Data>(this.times).fill(asArray(data, 'Replicate'));
  }

  protected updateGrad(grad: Data): Data {
    return sumArrays(grad as GPUArray[]);
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    return new Array<ShapeOf>(this.times).fill(shape);
  }

  override gradShapeFrom(shape: ShapeOf): ShapeOf {
    return (shape as ShapeOf[])[0]!;
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail('expects a single array');
  }

  override calcMode(dtype: DType): void {
    if (dtype === 'int32') this.fail('supports float32 and float16 only');
    this.calctype = dtype;
  }
}
