import { Dnn, fmtShape, type DType } from '@puzzle/backend';
import { asArrayOf, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';

/**
 * Upsamples (N, C, H, W) images by an integer `scale` (one or per axis): "nearest" replicates blocks, "linear"
 * is align-corners bilinear. The backward pass is the adjoint. Port of PuzzleLib/Modules/Upsample2D.py.
 */
export class Upsample2D extends Module {
  readonly scale: readonly [number, number];
  readonly mode: Dnn.UpsampleMode;

  constructor(scale: number | readonly [number, number] = 2, opts: { mode?: Dnn.UpsampleMode; name?: string | null } = {}) {
    super(opts.name ?? null);
    this.scale = typeof scale === 'number' ? [scale, scale] : scale;
    if (this.scale.some((s) => !Number.isInteger(s) || s < 1)) this.fail(`scale must be positive integers, got (${this.scale.join(', ')})`);
    this.mode = opts.mode ?? 'nearest';
    if (this.mode !== 'nearest' && this.mode !== 'linear') this.fail(`unknown mode '${String(this.mode)}' (expected nearest or linear)`);
  }

  protected updateData(data: Data): Data {
    return Dnn.upsample2d(asArrayOf(data, this), this.scale, this.mode);
  }

  protected updateGrad(grad: Data): Data {
    return Dnn.upsample2dBackward(asArrayOf(grad, this), this.scale, this.mode);
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    return (shape as readonly number[]).map((d, i) => (i < 2 ? d : d * this.scale[i - 2]!));
  }

  override gradShapeFrom(shape: ShapeOf): ShapeOf {
    return (shape as readonly number[]).map((d, i) => (i < 2 ? d : d / this.scale[i - 2]!));
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail('expects a single array');
    if (shape.length !== 4) this.fail(`expects 4-D data, got ${fmtShape(shape)}`);
  }

  protected override checkGradShape(shape: ShapeOf): void {
    if (!isShape(shape) || shape.length !== 4 || shape.some((d, i) => i >= 2 && d % this.scale[i - 2]! !== 0)) {
      this.fail(`expects a 4-D grad with spatial dims divisible by (${this.scale.join(', ')}), got ${fmtShapeOf(shape)}`);
    }
    super.checkGradShape(shape);
  }

  override calcMode(dtype: DType): void {
    if (dtype === 'int32') this.fail('supports float32 and float16 only');
    this.calctype = dtype;
  }
}

function fmtShapeOf(shape: ShapeOf): string {
  return isShape(shape) ? fmtShape(shape) : 'a list';
}

