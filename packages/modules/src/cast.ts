import { type DType } from '@puzzle/backend';
import { asArray, dtypesOf, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';

export type FloatType = 'float32' | 'float16';

/** Converts float16 ↔ float32 (identical types pass through); the gradient is converted back. */
export class Cast extends Module {
  readonly intype: FloatType;
  readonly outtype: FloatType;

  constructor(intype: FloatType, outtype: FloatType, opts: { name?: string | null } = {}) {
    super(opts.name ?? null);
    for (const t of [intype, outtype]) if (t !== 'float32' && t !== 'float16') this.fail(`casts between float32 and float16, got ${String(t)}`);
    this.intype = intype;
    this.outtype = outtype;
  }

  protected updateData(data: Data): Data {
    const x = asArray(data, 'Cast');
    return this.intype === this.outtype ? x : x.astype(this.outtype);
  }

  protected updateGrad(grad: Data): Data {
    const g = asArray(grad, 'Cast');
    return this.intype === this.outtype ? g : g.astype(this.intype);
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail('expects a single array');
  }

  protected override checkDataType(data: Data): void {
    for (const dtype of dtypesOf(data)) if (dtype !== this.intype) this.fail(`expected input dtype ${this.intype}, got ${dtype}`);
  }

  protected override checkGradType(grad: Data): void {
    for (const dtype of dtypesOf(grad)) if (dtype !== this.outtype) this.fail(`expected gradient dtype ${this.outtype}, got ${dtype}`);
  }

  /** The conversion is fixed by construction, so a container's calcMode leaves it alone. */
  override calcMode(_dtype: DType): void {}
}
