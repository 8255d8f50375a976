import type { DType, GPUArray } from '@puzzle/backend';
import type { Data, ShapeOf } from './data.js';
import { checkEqualShapes } from './equal-shapes.js';
import { Module } from './module.js';
import { sumArrays } from './sum-arrays.js';

/** y = Σ xᵢ over a list of equally shaped arrays; every input receives the incoming gradient. */
export class Add extends Module {
  private inputs: number | null = null;

  constructor(opts: { name?: string | null } = {}) {
    super(opts.name ?? null);
    this.movesGrad = true;
  }

  protected updateData(data: Data): Data {
    const xs = data as GPUArray[];
    this.inputs = xs.length;
    return sumArrays(xs);
  }

  // The same array once per input: the base class hands each input its own view of it.
  protected updateGrad(grad: Data): Data {
    return new Array<Data>(this.inputs!).fill(grad);
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    return (shape as ShapeOf[])[0]!;
  }

  override gradShapeFrom(shape: ShapeOf): ShapeOf {
    if (this.inputs === null) this.fail('gradShapeFrom needs a forward pass to know the number of inputs');
    return new Array<ShapeOf>(this.inputs).fill(shape);
  }

  protected override checkDataShape(shape: ShapeOf): void {
    checkEqualShapes(shape, (message) => this.fail(message));
  }

  override calcMode(dtype: DType): void {
    if (dtype === 'int32') this.fail('supports float32 and float16 only');
    this.calctype = dtype;
  }
}
