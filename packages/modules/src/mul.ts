import { kernels, type DType, type GPUArray } from '@puzzle/backend';
import { asArray, type Data, type ShapeOf } from './data.js';
import { checkEqualShapes } from './equal-shapes.js';
import { Module } from './module.js';

/** y = Π xᵢ elementwise over a list of equally shaped arrays; dxᵢ = g·Π_{k≠i} x_k. */
export class Mul extends Module {
  constructor(opts: { name?: string | null } = {}) {
    super(opts.name ?? null);
  }

  protected updateData(data: Data): Data {
    const xs = data as GPUArray[];
    return productInto(xs[0]!.copy(), xs.slice(1));
  }

  protected updateGrad(grad: Data): Data {
    const g = asArray(grad, 'Mul');
    const xs = this.inData as GPUArray[];
    return xs.map((_, i) => productInto(g.copy(), xs.filter((_x, k) => k !== i)));
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    return (shape as ShapeOf[])[0]!;
  }

  override gradShapeFrom(shape: ShapeOf): ShapeOf {
    const inputs = (this.inData as GPUArray[] | null)?.length;
    if (inputs === undefined) this.fail('gradShapeFrom needs a forward pass to know the number of inputs');
    return new Array<ShapeOf>(inputs).fill(shape);
  }

  protected override checkDataShape(shape: ShapeOf): void {
    checkEqualShapes(shape, (message) => this.fail(message));
  }

  override calcMode(dtype: DType): void {
    if (dtype === 'int32') this.fail('supports float32 and float16 only');
    this.calctype = dtype;
  }
}

/** acc ·= each factor, in place. */
function productInto(acc: GPUArray, factors: readonly GPUArray[]): GPUArray {
  for (const f of factors) kernels.mul(acc, f, acc);
  return acc;
}
