import { Dnn, fmtShape, type GPUArray } from '@puzzle/backend';
import { asArrayOf, isShape, sameShapes, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';
import { from2d, LAYOUTS, pairOf, shape2d, shapeFrom2d, with2d, type Pair, type SpatialDims } from './spatial-view.js';

/** Window geometry of a pooling layer in 2-D terms (1-D layers use a unit first axis). */
export interface PoolGeometry {
  size: Pair;
  stride: Pair;
  pad: Pair;
}

export interface Pool2DOptions {
  size?: number | [number, number];
  stride?: number | [number, number];
  pad?: number | [number, number];
  name?: string | null;
}

export interface Pool1DOptions {
  size?: number;
  stride?: number;
  pad?: number;
  name?: string | null;
}

/** PuzzleLib's defaults: a 2×2 window, stride 2, no pad. */
export function window2d(opts: Pool2DOptions): PoolGeometry {
  return { size: pairOf(opts.size ?? 2), stride: pairOf(opts.stride ?? 2), pad: pairOf(opts.pad ?? 0) };
}

/** A 1-D window as a 2-D one with a unit first axis. */
export function window1d(opts: Pool1DOptions): PoolGeometry {
  return { size: [1, opts.size ?? 2], stride: [1, opts.stride ?? 2], pad: [0, opts.pad ?? 0] };
}

/** Shared body of the max and average pooling layers (PuzzleLib Pool2D): Dnn.poolNd forward and backward. */
export abstract class Pool2D extends Module {
  readonly geometry: PoolGeometry;

  protected constructor(
    readonly mode: Dnn.PoolMode,
    readonly spatialDims: SpatialDims,
    geometry: PoolGeometry,
    name: string | null,
  ) {
    super(name);
    this.geometry = geometry;
    // The backward op reads the forward output.
    this.gradUsesOutData = true;
    this.validate();
  }

  private validate(): void {
    const { size, stride, pad } = this.geometry;
    const limits: [string, Pair, number][] = [['size', size, 1], ['stride', stride, 1], ['pad', pad, 0]];
    for (const [name, v, min] of limits) {
      if (v.length !== 2 || v.some((x) => !Number.isInteger(x) || x < min)) this.fail(`${name} must be integers ≥ ${min}, got [${v.join(', ')}]`);
    }
    if (pad.some((p, a) => p >= size[a]!)) this.fail(`pad [${pad.join(', ')}] must be smaller than size [${size.join(', ')}]`);
  }

  protected opOptions(): Dnn.PoolOptions {
    const { size, stride, pad } = this.geometry;
    return { size, stride, pad, mode: this.mode };
  }

  protected updateData(data: Data): Data {
    const x = asArrayOf(data, this);
    return from2d(with2d([x], this.spatialDims, ([x4]) => Dnn.poolNd(x4!, this.opOptions())), this.spatialDims);
  }

  protected updateGrad(grad: Data): Data {
    const arrays = [asArrayOf(this.inData!, this), asArrayOf(this.data!, this), asArrayOf(grad, this)];
    const dx = with2d(arrays, this.spatialDims, ([x4, y4, g4]) => Dnn.poolNdBackward(x4!, y4!, g4!, this.opOptions()));
    return from2d(dx, this.spatialDims);
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    return shapeFrom2d(Dnn.poolOutputShape(shape2d(shape as number[], this.spatialDims), this.opOptions()), this.spatialDims);
  }

  override gradShapeFrom(shape: ShapeOf): ShapeOf {
    const [n, c, ...spatial] = shape2d(shape as number[], this.spatialDims);
    const { size, stride, pad } = this.geometry;
    return shapeFrom2d([n!, c!, ...spatial.map((o, a) => (o - 1) * stride[a]! + size[a]! - 2 * pad[a]!)], this.spatialDims);
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail(`expects a single array, got a list ${String(shape.length)} long`);
    const rank = this.spatialDims + 2;
    if (shape.length !== rank) this.fail(`expects a ${rank}-D input ${LAYOUTS[this.spatialDims]}, got ${fmtShape(shape)}`);
    const out = this.dataShapeFrom(shape) as number[];
    if (out.slice(2).some((d) => d < 1)) {
      this.fail(`window [${this.geometry.size.join(', ')}] with pad [${this.geometry.pad.join(', ')}] does not fit data ${fmtShape(shape)}`);
    }
  }

  protected override checkGradShape(shape: ShapeOf): void {
    const expected = (this.data as GPUArray).shape;
    if (!sameShapes(shape, expected)) {
      this.fail(`expects a gradient of shape ${fmtShape(expected)}, got ${isShape(shape) ? fmtShape(shape) : 'a list'}`);
    }
  }
}
