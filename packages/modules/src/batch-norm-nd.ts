import { Blas, Dnn, fmtShape, getGlobalRng, gpuarray, HostArray, type DType, type GPUArray } from '@puzzle/backend';
import { asArrayOf, isShape, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';
import { Variable } from './variable.js';
import { positiveInt, positiveNumber } from './args.js';

export interface BatchNormOptions {
  epsilon?: number;
  /** The running stats take weight max(initFactor/step, minFactor) of each training batch. */
  initFactor?: number;
  minFactor?: number;
  /** Standard deviation of the N(1, sscale) scale initialisation. */
  sscale?: number;
  /** Learn scale and bias; otherwise scale stays 1 and bias 0. */
  affine?: boolean;
  name?: string | null;
  /** Allocate parameters without initialising them (for loading). */
  empty?: boolean;
  /** Normalise over the input (eval mode only). */
  inplace?: boolean;
}

/**
 * Batch normalisation with learnt scale and bias and running statistics (attrs `mean`, `var`).
 * Train mode normalises with the batch statistics and blends them into the running ones with weight
 * max(initFactor/numOfProps, minFactor), so the first batch overwrites them; eval mode uses the running ones.
 * Port of PuzzleLib/Modules/BatchNormND.py: spatial mode, statistics per map over the batch and positions.
 */
export class BatchNormND extends Module {
  readonly maps: number;
  readonly epsilon: number;
  readonly initFactor: number;
  readonly minFactor: number;
  readonly affine: boolean;
  numOfProps = 0;
  savemean: GPUArray | null = null;
  saveinvvar: GPUArray | null = null;
  protected mode: Dnn.BatchNormMode = 'spatial';
  /** The rank of the data this module accepts. */
  protected dataRank: number;
  /** Parameter grads computed with the input grad, consumed by accGradParams. */
  private pending: { scalegrad: GPUArray; biasgrad: GPUArray } | null = null;

  constructor(nd: number, maps: number, opts: BatchNormOptions = {}) {
    super(opts.name ?? null);
    this.maps = positiveInt(this.describe(), 'maps', maps);
    this.epsilon = positiveNumber(this.describe(), 'epsilon', opts.epsilon ?? 1e-5);
    this.initFactor = opts.initFactor ?? 1.0;
    this.minFactor = opts.minFactor ?? 0.1;
    this.affine = opts.affine ?? true;
    this.inplace = opts.inplace ?? false;
    this.dataRank = nd + 2;
    const shape = [1, maps, ...new Array<number>(nd).fill(1)];
    const sscale = this.affine ? (opts.sscale ?? 0.01) : 0;
    const rng = getGlobalRng();
    const scale = opts.empty ? gpuarray.empty(shape) : gpuarray.toGpu(HostArray.from(Float32Array.from({ length: maps }, () => 1 + sscale * rng.normal()), { shape }));
    this.setVar('scale', new Variable(scale));
    this.setVar('bias', new Variable(gpuarray.zeros(shape)));
    this.setAttr('mean', gpuarray.zeros(shape));
    this.setAttr('var', gpuarray.zeros(shape).fill(1));
  }

  get scale(): GPUArray {
    return this.getVar('scale').data;
  }

  get bias(): GPUArray {
    return this.getVar('bias').data;
  }

  get mean(): GPUArray {
    return this.getAttr('mean');
  }

  get var(): GPUArray {
    return this.getAttr('var');
  }

  protected updateData(data: Data): Data {
    const x = asArrayOf(data, this);
    const params = [this.scale, this.bias, this.mean, this.var] as const;
    if (!this.train) return Dnn.batchNormNd(x, ...params, { epsilon: this.epsilon, test: true, mode: this.mode, out: this.inplace ? x : undefined }).out;
    if (this.inplace) this.fail('the inplace flag is prohibited in train mode');
    this.numOfProps += 1;
    const factor = Math.max(this.initFactor / this.numOfProps, this.minFactor);
    const res = Dnn.batchNormNd(x, ...params, { epsilon: this.epsilon, factor, mode: this.mode });
    this.dropSaved();
    this.savemean = res.savemean;
    this.saveinvvar = res.saveinvvar;
    return res.out;
  }

  protected updateGrad(grad: Data): Data {
    const g = asArrayOf(grad, this);
    if (!this.train) return this.evalGradient(g);
    const { ingrad, scalegrad, biasgrad } = this.gradients(g);
    this.dropPending();
    this.pending = { scalegrad, biasgrad };
    return ingrad;
  }

  protected override accGradParams(grad: Data, scale: number, momentum: number): void {
    if (!this.pending) {
      const { ingrad, ...params } = this.gradients(asArrayOf(grad, this));
      ingrad.dispose();
      this.pending = params;
    }
    if (this.affine) {
      for (const [name, fresh] of [['scale', this.pending.scalegrad], ['bias', this.pending.biasgrad]] as const) {
        const target = this.getVar(name).grad!;
        Blas.addVectorToVector(fresh, target, { out: target, alpha: scale, beta: momentum });
      }
    }
    this.dropPending();
  }

  /** Eval mode is an affine map per channel: ingrad = g·scale/√(var + ε), a test-mode norm of g with zero mean and bias. */
  private evalGradient(grad: GPUArray): GPUArray {
    const zero = gpuarray.zeros(this.scale.shape);
    const { out } = Dnn.batchNormNd(grad, this.scale, zero, zero, this.var, { epsilon: this.epsilon, test: true, mode: this.mode });
    zero.dispose();
    return out;
  }

  private gradients(grad: GPUArray): Dnn.BatchNormGrads {
    if (!this.savemean || !this.saveinvvar) this.fail('backward needs a forward pass in train mode');
    return Dnn.batchNormNdBackward(this.inData as GPUArray, grad, this.scale, this.savemean, this.saveinvvar, { mode: this.mode });
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail('expects a single array');
    if (shape.length !== this.dataRank || shape[1] !== this.maps) {
      this.fail(`expects ${this.dataRank}-D data with ${this.maps} maps on axis 1, got ${fmtShape(shape)}`);
    }
  }

  /** Float32 or float16 data; the parameters and statistics stay float32. */
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
    this.savemean?.dispose();
    this.saveinvvar?.dispose();
    this.savemean = this.saveinvvar = null;
  }

  private dropPending(): void {
    this.pending?.scalegrad.dispose();
    this.pending?.biasgrad.dispose();
    this.pending = null;
  }
}

/** Batch norm of (N, maps, L) sequences, statistics per map over the batch and positions. */
export class BatchNorm1D extends BatchNormND {
  constructor(maps: number, opts: BatchNormOptions = {}) {
    super(2, maps, opts);
    this.dataRank = 3;
  }
}

/** Batch norm of (N, maps, H, W) images, statistics per map over the batch and pixels. */
export class BatchNorm2D extends BatchNormND {
  constructor(maps: number, opts: BatchNormOptions = {}) {
    super(2, maps, opts);
  }
}

/** Batch norm of (N, maps, D, H, W) volumes. */
export class BatchNorm3D extends BatchNormND {
  constructor(maps: number, opts: BatchNormOptions = {}) {
    super(3, maps, opts);
  }
}
