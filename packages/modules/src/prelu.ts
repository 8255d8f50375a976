import { Dnn, fmtShape, gpuarray, type GPUArray } from '@puzzle/backend';
import { asArrayOf, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';
import { Variable } from './variable.js';
import { positiveInt } from './args.js';

/**
 * Parametric ReLU over axis 1: y = x if x > 0 else slope_c·x, slopes initialised to 0.25 (one per map, or a
 * single one with sharedMaps). Slope grad Σ g·x·[x ≤ 0]. Port of PuzzleLib/Modules/PRelu.py.
 */
export class PRelu extends Module {
  readonly maps: number;
  readonly sharedMaps: boolean;

  constructor(maps: number, opts: { inplace?: boolean; sharedMaps?: boolean; name?: string | null } = {}) {
    super(opts.name ?? null);
    this.maps = positiveInt(this.describe(), 'maps', maps);
    this.sharedMaps = opts.sharedMaps ?? false;
    this.inplace = opts.inplace ?? false;
    this.setVar('slopes', new Variable(gpuarray.zeros([this.sharedMaps ? 1 : maps]).fill(0.25)));
  }

  get slopes(): GPUArray {
    return this.getVar('slopes').data;
  }

  protected updateData(data: Data): Data {
    return Dnn.prelu(asArrayOf(data, this), this.slopes, { inplace: this.inplace, sharedMaps: this.sharedMaps });
  }

  protected updateGrad(grad: Data): Data {
    this.forbidInplace();
    return Dnn.preluBackwardData(asArrayOf(grad, this), this.slopes, this.inData as GPUArray, { sharedMaps: this.sharedMaps });
  }

  protected override accGradParams(grad: Data, scale: number, momentum: number): void {
    this.forbidInplace();
    const out = this.getVar('slopes').grad!;
    Dnn.preluBackwardParams(this.inData as GPUArray, asArrayOf(grad, this), { sharedMaps: this.sharedMaps, out, scale, momentum });
  }

  /** In place, the input is gone and neither gradient can be computed. */
  private forbidInplace(): void {
    if (this.inplace) this.fail('the inplace flag is prohibited when computing gradients');
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail('expects a single array');
    if (shape.length < 2) this.fail(`expects (N, C, ...) data, got ${fmtShape(shape)}`);
    if (!this.sharedMaps && shape[1] !== this.maps) this.fail(`expects ${this.maps} maps on axis 1, got ${fmtShape(shape)}`);
  }
}
