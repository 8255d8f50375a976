import { fmtShape, gpuarray, type Dnn, type GPUArray } from '@puzzle/backend';
import { asArrayOf, isShape, sameShapes, type Data, type ShapeOf } from './data.js';
import { createTensorWithScheme, type FactorType, type InitScheme } from './init.js';
import { Module } from './module.js';
import { from2d, LAYOUTS, shape2d, shapeFrom2d, with2d, type Pair, type SpatialDims } from './spatial-view.js';
import { Variable } from './variable.js';
import { positiveInt } from './args.js';

/** Options every convolution layer takes, after PuzzleLib's ConvND/DeconvND keywords. */
export interface ConvLayerOptions {
  wscale?: number;
  useBias?: boolean;
  initscheme?: InitScheme | [InitScheme, FactorType];
  groups?: number;
  name?: string | null;
  /** Allocate W without initialising it (for loading). */
  empty?: boolean;
}

/** Geometry of a layer in 2-D terms (1-D layers use a unit first axis). */
export interface ConvLayerGeometry {
  size: Pair;
  stride: Pair;
  pad: Pair;
  dilation: Pair;
  postpad: Pair;
}

export type ConvOpOptions = Dnn.DeconvOptions;

/** What distinguishes a convolution from a transposed one: the weight layout and the Dnn ops. */
export interface ConvKind {
  weightShape(inmaps: number, outmaps: number, groups: number, size: Pair): number[];
  /** Weights are (in, out, ...), so init fans are swapped. */
  factorTranspose: boolean;
  forward(x: GPUArray, W: GPUArray, b: GPUArray | null, opts: ConvOpOptions): GPUArray;
  backwardData(grad: GPUArray, W: GPUArray, x: GPUArray, opts: ConvOpOptions): GPUArray;
  backwardParams(x: GPUArray, grad: GPUArray, W: GPUArray, b: GPUArray | null, opts: ConvOpOptions & Dnn.ParamGradOptions): void;
  outputShape(shape: readonly number[], wShape: readonly number[], opts: ConvOpOptions): number[];
  /** The smallest input shape giving an output of `shape` (PuzzleLib gradShapeFrom). */
  inputShape(shape: readonly number[], wShape: readonly number[], opts: ConvOpOptions): number[];
}

/** Shared body of Conv1D, Conv2D and Deconv2D: variables, checks and the 1-D ↔ 2-D views. */
export abstract class ConvLayer extends Module {
  readonly inmaps: number;
  readonly outmaps: number;
  readonly groups: number;
  readonly useBias: boolean;
  readonly geometry: ConvLayerGeometry;

  protected constructor(
    private readonly kind: ConvKind,
    readonly spatialDims: SpatialDims,
    inmaps: number,
    outmaps: number,
    geometry: ConvLayerGeometry,
    opts: ConvLayerOptions,
  ) {
    super(opts.name ?? null);
    this.inmaps = inmaps;
    this.outmaps = outmaps;
    this.groups = opts.groups ?? 1;
    this.useBias = opts.useBias ?? true;
    this.geometry = geometry;
    this.validate();
    const shape = kind.weightShape(inmaps, outmaps, this.groups, geometry.size);
    const init = { wscale: opts.wscale ?? 1.0, factorTranspose: kind.factorTranspose };
    const host = opts.empty ? null : createTensorWithScheme(opts.initscheme, shape, init);
    this.setVar('W', new Variable(host ? gpuarray.toGpu(host) : gpuarray.empty(shape)));
    if (this.useBias) this.setVar('b', new Variable(gpuarray.zeros([1, outmaps, 1, 1])));
  }

  get W(): GPUArray {
    return this.getVar('W').data;
  }

  get b(): GPUArray | null {
    return this.useBias ? this.getVar('b').data : null;
  }

  private validate(): void {
    const { size, stride, pad, dilation, postpad } = this.geometry;
    for (const [arg, value] of [['inmaps', this.inmaps], ['outmaps', this.outmaps], ['groups', this.groups]] as const) positiveInt(this.describe(), arg, value);
    if (this.inmaps % this.groups || this.outmaps % this.groups) {
      this.fail(`inmaps ${this.inmaps} and outmaps ${this.outmaps} must be divisible by groups ${this.groups}`);
    }
    const limits: [string, Pair, number][] = [['size', size, 1], ['stride', stride, 1], ['dilation', dilation, 1], ['pad', pad, 0], ['postpad', postpad, 0]];
    for (const [name, v, min] of limits) {
      if (v.length !== 2 || v.some((x) => !Number.isInteger(x) || x < min)) this.fail(`${name} must be integers ≥ ${min}, got [${v.join(', ')}]`);
    }
    if (postpad.some((q, a) => q >= Math.max(stride[a]!, dilation[a]!))) {
      this.fail(`postpad [${postpad.join(', ')}] must be less than max(stride, dilation) on each axis`);
    }
  }

  protected opOptions(): ConvOpOptions {
    const { stride, pad, dilation, postpad } = this.geometry;
    return { stride, pad, dilation, postpad, groups: this.groups };
  }

  protected updateData(data: Data): Data {
    const x = asArrayOf(data, this);
    return from2d(with2d([x], this.spatialDims, ([x4]) => this.kind.forward(x4!, this.W, this.b, this.opOptions())), this.spatialDims);
  }

  protected updateGrad(grad: Data): Data {
    const arrays = [asArrayOf(grad, this), asArrayOf(this.inData!, this)];
    const dx = with2d(arrays, this.spatialDims, ([g4, x4]) => this.kind.backwardData(g4!, this.W, x4!, this.opOptions()));
    return from2d(dx, this.spatialDims);
  }

  protected override accGradParams(grad: Data, scale: number, momentum: number): void {
    const arrays = [asArrayOf(this.inData!, this), asArrayOf(grad, this)];
    const { stride, pad, dilation, postpad, groups } = this.opOptions();
    const wgrad = this.getVar('W').grad!;
    const bgrad = this.useBias ? this.getVar('b').grad! : undefined;
    const opts = { stride, pad, dilation, postpad, groups, wgrad, bgrad, scale, momentum };
    with2d(arrays, this.spatialDims, ([x4, g4]) => this.kind.backwardParams(x4!, g4!, this.W, this.b, opts));
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    const s = shape2d(shape as number[], this.spatialDims);
    return shapeFrom2d(this.kind.outputShape(s, this.W.shape, this.opOptions()), this.spatialDims);
  }

  override gradShapeFrom(shape: ShapeOf): ShapeOf {
    const s = shape2d(shape as number[], this.spatialDims);
    return shapeFrom2d(this.kind.inputShape(s, this.W.shape, this.opOptions()), this.spatialDims);
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail(`expects a single array, got a list ${String(shape.length)} long`);
    const rank = this.spatialDims + 2;
    if (shape.length !== rank) this.fail(`expects a ${rank}-D input ${LAYOUTS[this.spatialDims]}, got ${fmtShape(shape)}`);
    if (shape[1] !== this.inmaps) this.fail(`expects ${this.inmaps} input maps for W ${fmtShape(this.W.shape)}, got data ${fmtShape(shape)}`);
    const out = this.dataShapeFrom(shape) as number[];
    if (out.slice(2).some((d) => d < 1)) this.fail(`W ${fmtShape(this.W.shape)} does not fit data ${fmtShape(shape)}: empty output ${fmtShape(out)}`);
  }

  protected override checkGradShape(shape: ShapeOf): void {
    const expected = this.dataShapeFrom((this.inData as GPUArray).shape) as number[];
    if (!sameShapes(shape, expected)) {
      this.fail(`expects a gradient of shape ${fmtShape(expected)}, got ${isShape(shape) ? fmtShape(shape) : 'a list'}`);
    }
  }
}
