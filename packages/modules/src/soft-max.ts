import { Dnn, fmtShape, type DType, type GPUArray } from '@puzzle/backend';
import { asArrayOf, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';

/**
 * Softmax over axis 1 of (N, C) or (N, C, ...) data, for every sample and position; the backward pass reads
 * the output: dx = y·(g − Σ_c y·g). Port of PuzzleLib/Modules/SoftMax.py.
 */
export class SoftMax extends Module {
  constructor(opts: { name?: string | null } = {}) {
    super(opts.name ?? null);
    this.gradUsesOutData = true;
  }

  protected updateData(data: Data): Data {
    return Dnn.softmaxNd(asArrayOf(data, this));
  }

  protected updateGrad(grad: Data): Data {
    return Dnn.softmaxNdBackward(this.data as GPUArray, asArrayOf(grad, this));
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail('expects a single array');
    if (shape.length < 2) this.fail(`expects (N, C, ...) data, got ${fmtShape(shape)}`);
  }

  override calcMode(dtype: DType): void {
    if (dtype === 'int32') this.fail('supports float32 and float16 only');
    this.calctype = dtype;
  }
}
