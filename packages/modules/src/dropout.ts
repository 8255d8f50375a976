import { gpuarray, kernels, Rng, type DType, type GPUArray } from '@puzzle/backend';
import { asArray, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';

export interface DropoutOptions {
  /** Seeds this module's own generator, so the masks of successive calls are reproducible. */
  seed?: number;
  inplace?: boolean;
  name?: string | null;
}

/**
 * Train mode: y = x·[u < 1−p]/(1−p) with one uniform draw u per element, and the same mask in backward.
 * Eval mode: identity.
 */
export class Dropout extends Module {
  /** Drop probability. */
  readonly p: number;
  /** The uniform draws of the last train-mode forward (null after an eval-mode forward). */
  rands: GPUArray | null = null;
  private readonly rng: Rng | null;

  constructor(p = 0.5, opts: DropoutOptions = {}) {
    super(opts.name ?? null);
    if (!(p >= 0 && p < 1)) this.fail(`drop probability must be in [0, 1), got ${p}`);
    this.p = p;
    this.inplace = opts.inplace ?? false;
    this.rng = opts.seed === undefined ? null : new Rng(opts.seed);
  }

  /** Consecutive elements sharing one draw. */
  protected mapsize(_x: GPUArray): number {
    return 1;
  }

  protected updateData(data: Data): Data {
    const x = asArray(data, this.constructor.name);
    this.rands?.dispose();
    this.rands = null;
    if (!this.train) return x;
    const mapsize = this.mapsize(x);
    this.rands = kernels.fillUniform(gpuarray.empty([x.size / mapsize]), 0, 1, this.rng?.uint32());
    return kernels.dropout(x, this.rands, 1 - this.p, { out: this.inplace ? x : undefined, mapsize });
  }

  protected updateGrad(grad: Data): Data {
    const g = asArray(grad, this.constructor.name);
    if (this.rands === null) return g;
    return kernels.dropout(g, this.rands, 1 - this.p, { out: this.inplace ? g : undefined, mapsize: this.mapsize(g) });
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail('expects a single array');
  }

  override reset(): void {
    super.reset();
    this.rands?.dispose();
    this.rands = null;
  }

  override calcMode(dtype: DType): void {
    if (dtype === 'int32') this.fail('supports float32 and float16 only');
    this.calctype = dtype;
  }
}
