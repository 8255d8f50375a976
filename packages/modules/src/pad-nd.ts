import { Dnn, fmtShape, type DType, type GPUArray } from '@puzzle/backend';
import { asArrayOf, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';

export type PadMode = 'constant' | 'reflect';

/**
 * Shared by Pad1D and Pad2D: pads the trailing spatial dims of (N, C, ...) data with a constant or by numpy
 * 'reflect' (edge not repeated); the backward pass crops, or folds the mirrored grads back (the adjoint).
 * NOTE: the output keeps the input dtype (PuzzleLib's constant mode always allocates float32).
 */
export abstract class PadND extends Module {
  readonly mode: PadMode;
  readonly fillValue: number;
  /** (before, after) for each spatial dim. */
  protected readonly widths: Dnn.PadWidths;

  constructor(widths: Dnn.PadWidths, opts: { mode?: PadMode; fillValue?: number | null; name?: string | null }) {
    super(opts.name ?? null);
    this.mode = opts.mode ?? 'constant';
    if (this.mode !== 'constant' && this.mode !== 'reflect') this.fail(`unknown pad mode '${String(this.mode)}' (expected constant or reflect)`);
    if (widths.flat().some((p) => !Number.isInteger(p) || p < 0)) this.fail(`pads must be non-negative integers, got [${widths.flat().join(', ')}]`);
    this.widths = widths;
    this.fillValue = opts.fillValue ?? 0;
  }

  protected abstract reflect(x: GPUArray): GPUArray;
  protected abstract reflectBackward(grad: GPUArray): GPUArray;

  protected updateData(data: Data): Data {
    const x = asArrayOf(data, this);
    return this.mode === 'reflect' ? this.reflect(x) : Dnn.constantPad(x, this.widths, this.fillValue);
  }

  protected updateGrad(grad: Data): Data {
    const g = asArrayOf(grad, this);
    return this.mode === 'reflect' ? this.reflectBackward(g) : Dnn.constantPadBackward(g, this.widths);
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    return this.resized(shape as readonly number[], 1);
  }

  override gradShapeFrom(shape: ShapeOf): ShapeOf {
    return this.resized(shape as readonly number[], -1);
  }

  private resized(shape: readonly number[], sign: 1 | -1): number[] {
    const lead = shape.length - this.widths.length;
    return shape.map((d, i) => (i < lead ? d : d + sign * (this.widths[i - lead]![0] + this.widths[i - lead]![1])));
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail('expects a single array');
    const rank = this.widths.length + 2;
    if (shape.length !== rank) this.fail(`expects ${rank}-D data, got ${fmtShape(shape)}`);
    if (this.mode !== 'reflect') return;
    this.widths.forEach(([before, after], i) => {
      if (shape[i + 2]! <= Math.max(before, after)) {
        this.fail(`reflect pads (${before}, ${after}) need spatial dims longer than ${Math.max(before, after)}, got ${fmtShape(shape)}`);
      }
    });
  }

  override calcMode(dtype: DType): void {
    if (dtype === 'int32') this.fail('supports float32 and float16 only');
    this.calctype = dtype;
  }
}
