import { addVecToMat, Blas, gpuarray, type GPUArray } from '@puzzle/backend';
import { asArray, type Data, type ShapeOf } from './data.js';
import { createTensorWithScheme, type FactorType, type InitScheme } from './init.js';
import { Module } from './module.js';
import { positiveInt } from './args.js';
import { Variable } from './variable.js';

export interface LinearOptions {
  wscale?: number;
  useBias?: boolean;
  initscheme?: InitScheme | [InitScheme, FactorType];
  name?: string | null;
  /** Allocate without initialising (for loading). */
  empty?: boolean;
  /** W is stored (outsize, insize) and applied transposed. */
  transpose?: boolean;
}

/** y = x·W + b on (batch, insize) inputs. */
export class Linear extends Module {
  readonly insize: number;
  readonly outsize: number;
  readonly useBias: boolean;
  readonly transpose: boolean;

  constructor(insize: number, outsize: number, opts: LinearOptions = {}) {
    super(opts.name ?? null);
    this.insize = positiveInt(this.describe(), 'insize', insize);
    this.outsize = positiveInt(this.describe(), 'outsize', outsize);
    this.useBias = opts.useBias ?? true;
    this.transpose = opts.transpose ?? false;
    const shape = this.transpose ? [outsize, insize] : [insize, outsize];
    const host = opts.empty ? null : createTensorWithScheme(opts.initscheme, shape, { wscale: opts.wscale ?? 1.0, factorShape: [insize, outsize] });
    this.setVar('W', new Variable(host ? gpuarray.toGpu(host) : gpuarray.empty(shape)));
    // The bias has outsize entries in both layouts (PuzzleLib sizes it by insize when transposed: a bug).
    if (this.useBias) this.setVar('b', new Variable(gpuarray.zeros([outsize])));
  }

  get W(): GPUArray {
    return this.getVar('W').data;
  }

  get b(): GPUArray | null {
    return this.useBias ? this.getVar('b').data : null;
  }

  protected updateData(data: Data): Data {
    const out = Blas.mulMatrixOnMatrix(asArray(data, 'Linear'), this.W, { transpB: this.transpose });
    if (this.b) addVecToMat(this.b, out, { axis: 1, out });
    return out;
  }

  protected updateGrad(grad: Data): Data {
    return Blas.mulMatrixOnMatrix(asArray(grad, 'Linear'), this.W, { transpB: !this.transpose });
  }

  protected override accGradParams(grad: Data, scale: number, momentum: number): void {
    const g = asArray(grad, 'Linear');
    const x = asArray(this.inData!, 'Linear');
    const W = this.getVar('W');
    if (this.transpose) Blas.mulMatrixOnMatrix(g, x, { out: W.grad!, transpA: true, alpha: scale, beta: momentum });
    else Blas.mulMatrixOnMatrix(x, g, { out: W.grad!, transpA: true, alpha: scale, beta: momentum });
    if (this.useBias) Blas.sumOnMatrix(g, { out: this.getVar('b').grad!, cols: true, alpha: scale, beta: momentum });
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    return [(shape as number[])[0]!, this.outsize];
  }

  override gradShapeFrom(shape: ShapeOf): ShapeOf {
    return [(shape as number[])[0]!, this.insize];
  }

  protected override checkDataShape(shape: ShapeOf): void {
    const s = shape as number[];
    if (!Array.isArray(s) || typeof s[0] !== 'number') this.fail('expects a single array');
    if (s.length !== 2) this.fail(`expects a 2-D input (batch, ${this.insize}), got (${s.join(', ')})`);
    if (s[1] !== this.insize) this.fail(`expects input width ${this.insize}, got (${s.join(', ')})`);
  }

  protected override checkGradShape(shape: ShapeOf): void {
    const s = shape as number[];
    const batch = (this.inData as GPUArray).shape[0];
    if (s.length !== 2 || s[0] !== batch || s[1] !== this.outsize) {
      this.fail(`expects a gradient of shape (${batch}, ${this.outsize}), got (${s.join(', ')})`);
    }
  }
}
