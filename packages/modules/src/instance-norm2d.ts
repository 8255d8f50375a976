import { Blas, Dnn, fmtShape, gpuarray, type DType, type GPUArray } from '@puzzle/backend';
import { asArrayOf, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';
import { Variable } from './variable.js';
import { positiveInt, positiveNumber } from './args.js';

/**
 * Instance normalisation of (N, maps, H, W) images: every (n, c) map is normalised over its H×W pixels, then
 * scaled and shifted per map (scale starts at 1, bias at 0). Identical in train and eval mode.
 * Port of PuzzleLib/Modules/InstanceNorm2D.py.
 */
export class InstanceNorm2D extends Module {
  readonly numOfMaps: number;
  readonly epsilon: number;
  readonly affine: boolean;
  private saved: Omit<Dnn.InstanceNormResult, 'out'> | null = null;
  /** Parameter grads computed with the input grad, consumed by accGradParams. */
  private pending: { scalegrad: GPUArray; biasgrad: GPUArray } | null = null;

  constructor(numOfMaps: number, opts: { epsilon?: number; affine?: boolean; name?: string | null } = {}) {
    super(opts.name ?? null);
    this.numOfMaps = positiveInt(this.describe(), 'numOfMaps', numOfMaps);
    this.epsilon = positiveNumber(this.describe(), 'epsilon', opts.epsilon ?? 1e-5);
    this.affine = opts.affine ?? true;
    const shape = [1, numOfMaps, 1, 1];
    this.setVar('scale', new Variable(gpuarray.zeros(shape).fill(1)));
    this.setVar('bias', new Variable(gpuarray.zeros(shape)));
  }

  get scale(): GPUArray {
    return this.getVar('scale').data;
  }

  get bias(): GPUArray {
    return this.getVar('bias').data;
  }

  protected updateData(data: Data): Data {
    const { out, ...saved } = Dnn.instanceNorm2d(asArrayOf(data, this), this.scale, this.bias, { epsilon: this.epsilon });
    this.dropSaved();
    this.saved = saved;
    return out;
  }

  protected updateGrad(grad: Data): Data {
    const { ingrad, scalegrad, biasgrad } = this.gradients(asArrayOf(grad, this));
    this.dropPending();
    if (scalegrad && biasgrad) this.pending = { scalegrad, biasgrad };
    return ingrad;
  }

  protected override accGradParams(grad: Data, scale: number, momentum: number): void {
    if (!this.affine) return;
    if (!this.pending) {
      const { ingrad, scalegrad, biasgrad } = this.gradients(asArrayOf(grad, this));
      ingrad.dispose();
      this.pending = { scalegrad: scalegrad!, biasgrad: biasgrad! };
    }
    for (const [name, fresh] of [['scale', this.pending.scalegrad], ['bias', this.pending.biasgrad]] as const) {
      const target = this.getVar(name).grad!;
      Blas.addVectorToVector(fresh, target, { out: target, alpha: scale, beta: momentum });
    }
    this.dropPending();
  }

  private gradients(grad: GPUArray): Dnn.InstanceNormGrads {
    if (!this.saved) this.fail('backward needs a forward pass first');
    const { extscale, savemean, saveinvvar } = this.saved;
    return Dnn.instanceNorm2dBackward(grad, this.inData as GPUArray, extscale, savemean, saveinvvar, { affine: this.affine });
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail('expects a single array');
    if (shape.length !== 4 || shape[1] !== this.numOfMaps) this.fail(`expects 4-D data with ${this.numOfMaps} maps on axis 1, got ${fmtShape(shape)}`);
  }

  /** Float32 or float16 data; the parameters stay float32. */
  override calcMode(dtype: DType): void {
    if (dtype === 'int32') this.fail('supports float32 and float16 only');
    this.calctype = dtype;
  }

  override reset(): void {
    super.reset();
    this.dropSaved();
    this.dropPending();
  }

  private dropSaved(): void {
    if (this.saved) for (const a of Object.values(this.saved)) a.dispose();
    this.saved = null;
  }

  private dropPending(): void {
    this.pending?.scalegrad.dispose();
    this.pending?.biasgrad.dispose();
    this.pending = null;
  }
}
