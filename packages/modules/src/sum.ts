import { Blas, fmtShape, gpuarray, kernels, Memory, type GPUArray } from '@puzzle/backend';
import { asArrayOf, isShape, sameShapes, type Data, type ShapeOf } from './data.js';
import { Module } from './module.js';
import { reshapeView } from './reshape-view.js';

type Around = [pre: number, len: number, post: number];

const prod = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);

/** Σ over the middle axis of `a` seen as (pre, len, post) → (pre·post,). */
function sumMiddle(a: GPUArray, [pre, len, post]: Around): GPUArray {
  const view = reshapeView(a, [pre, len, post]);
  const moved = post === 1 ? view.reshape(pre, len) : Memory.moveaxis(view, 1, 2);
  const rows = moved.reshape(pre * post, len);
  const sum = Blas.sumOnMatrix(rows, { cols: false });
  for (const t of [view, moved, rows]) t.dispose();
  return sum;
}

/** (pre, post) repeated `len` times along a new middle axis → (pre, len, post). */
function repeatMiddle(g: GPUArray, [pre, len, post]: Around): GPUArray {
  const view = reshapeView(g, [pre, 1, post]);
  const out = gpuarray.tile(view, len, 1);
  view.dispose();
  return out;
}

/**
 * Sums data over `axis`. With weights the input is [data, v] with v shaped like data.shape[:axis+1], and
 * y = Σ_axis data·v (v broadcast over the trailing dims); the grads are [g·v, Σ_trailing data·g].
 * Port of PuzzleLib/Modules/Sum.py.
 */
export class Sum extends Module {
  readonly axis: number;
  readonly useWeights: boolean;

  constructor(axis: number, opts: { useWeights?: boolean; name?: string | null } = {}) {
    super(opts.name ?? null);
    if (!Number.isInteger(axis) || axis < 0) this.fail(`axis must be a non-negative integer, got ${axis}`);
    this.axis = axis;
    this.useWeights = opts.useWeights ?? true;
  }

  private around(shape: readonly number[]): Around {
    return [prod(shape.slice(0, this.axis)), shape[this.axis]!, prod(shape.slice(this.axis + 1))];
  }

  /** v broadcast over the trailing dims: (pre·len, post). */
  private expandedWeights(v: GPUArray, [pre, len, post]: Around): GPUArray {
    const column = reshapeView(v, [pre * len, 1]);
    const out = gpuarray.tile(column, post, 1);
    column.dispose();
    return out;
  }

  protected updateData(data: Data): Data {
    const [x, v] = this.inputs(data);
    const dims = this.around(x.shape);
    const outShape = x.shape.filter((_, i) => i !== this.axis);
    if (!v) return reshaped(sumMiddle(x, dims), outShape);
    const weights = this.expandedWeights(v, dims);
    const weighted = kernels.mul(x, weights);
    const out = sumMiddle(weighted, dims);
    for (const t of [weights, weighted]) t.dispose();
    return reshaped(out, outShape);
  }

  protected updateGrad(grad: Data): Data {
    const [x, v] = this.inputs(this.inData!);
    const dims = this.around(x.shape);
    const spread = repeatMiddle(asArrayOf(grad, this), dims);
    if (!v) return reshaped(spread, x.shape);
    const weights = this.expandedWeights(v, dims);
    const dx = kernels.mul(spread, weights);
    const products = reshaped(kernels.mul(x, spread), [dims[0] * dims[1], dims[2]]);
    const dv = Blas.sumOnMatrix(products, { cols: false });
    for (const t of [spread, weights, products]) t.dispose();
    return [reshaped(dx, x.shape), reshaped(dv, v.shape)];
  }

  private inputs(data: Data): [GPUArray, GPUArray | null] {
    if (!this.useWeights) return [asArrayOf(data, this), null];
    const [x, v] = data as GPUArray[];
    return [x!, v!];
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    const s = (this.useWeights ? (shape as ShapeOf[])[0] : shape) as readonly number[];
    return s.filter((_, i) => i !== this.axis);
  }

  override gradShapeFrom(shape: ShapeOf): ShapeOf {
    const len = (this.inData ? this.inputs(this.inData)[0].shape : [])[this.axis];
    if (len === undefined) this.fail('gradShapeFrom needs a forward pass first (the summed axis length is unknown)');
    const s = shape as readonly number[];
    const inshape = [...s.slice(0, this.axis), len, ...s.slice(this.axis)];
    return this.useWeights ? [inshape, inshape.slice(0, this.axis + 1)] : inshape;
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (this.useWeights) {
      if (isShape(shape) || shape.length !== 2 || !shape.every(isShape)) this.fail('expects [data, weights]');
      const [data, weights] = shape as (readonly number[])[];
      this.checkAxis(data!);
      if (!sameShapes(weights!, data!.slice(0, this.axis + 1))) {
        this.fail(`weights ${fmtShape(weights!)} must have the shape ${fmtShape(data!.slice(0, this.axis + 1))} of data ${fmtShape(data!)} up to axis ${this.axis}`);
      }
    } else {
      if (!isShape(shape)) this.fail('expects a single array');
      this.checkAxis(shape);
    }
  }

  private checkAxis(shape: readonly number[]): void {
    if (shape.length <= this.axis) this.fail(`needs at least ${this.axis + 1} dims to sum over axis ${this.axis}, got ${fmtShape(shape)}`);
  }
}

/** `a` reshaped, releasing the original handle. */
function reshaped(a: GPUArray, shape: readonly number[]): GPUArray {
  const view = a.reshape(shape as number[]);
  a.dispose();
  return view;
}
