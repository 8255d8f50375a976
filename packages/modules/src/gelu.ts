import { kernels, type DType, type GPUArray } from '@puzzle/backend';
import { asArray, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';

/** y = x·Φ(x) with the exact erf; backward is the true derivative Φ(x) + x·φ(x), read from the input. */
export class Gelu extends Module {
  /** In-place mode overwrites the input, and the derivative is not a function of the output: keep a copy. */
  private savedInput: GPUArray | null = null;

  constructor(opts: { inplace?: boolean; name?: string | null } = {}) {
    super(opts.name ?? null);
    this.inplace = opts.inplace ?? false;
  }

  protected updateData(data: Data): Data {
    const x = asArray(data, 'Gelu');
    if (!this.inplace) return kernels.activation('gelu', x);
    const saved = x.copy();
    kernels.activation('gelu', x, { out: x });
    this.savedInput?.dispose();
    this.savedInput = saved;
    return x;
  }

  protected updateGrad(grad: Data): Data {
    const g = asArray(grad, 'Gelu');
    const x = this.savedInput ?? asArray(this.inData!, 'Gelu');
    return kernels.activationGrad('gelu', g, x, { out: this.inplace ? g : undefined });
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail('expects a single array');
  }

  override reset(): void {
    super.reset();
    this.savedInput?.dispose();
    this.savedInput = null;
  }

  override calcMode(dtype: DType): void {
    if (dtype === 'int32') this.fail('supports float32 and float16 only');
    this.calctype = dtype;
  }
}
