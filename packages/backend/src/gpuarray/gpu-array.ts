import type { DType } from '../dtype.js';
import { itemSize } from '../dtype.js';
import type { ArrayRef } from '../engine/engine.js';
import { context } from '../engine/registry.js';
import { BackendError, fmtShape } from '../errors.js';
import { HostArray } from '../host-array.js';
import { contiguousStrides, isContiguous, resolveReshape, sameShape, sizeOf, type Shape } from '../shape.js';
import { sliceView, type SliceRange } from './slicing.js';
import { Storage } from './storage.js';

/** A device array: a shape and strides over pooled storage that its views share. */
export class GPUArray {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly dtype: DType;
  readonly size: number;
  readonly contiguous: boolean;
  private disposed = false;

  /** Use gpuarray.empty/zeros/toGpu; this constructor adopts `storage` without retaining it. */
  constructor(
    private readonly storage: Storage,
    readonly offset: number,
    shape: Shape,
    dtype: DType,
    strides?: Shape,
  ) {
    this.shape = frozen(shape);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    if (strides === undefined) {
      this.strides = Object.freeze(contiguousStrides(shape));
      this.contiguous = true;
    } else {
      this.strides = frozen(strides);
      this.contiguous = isContiguous(shape, strides);
    }
  }

  static empty(shape: Shape, dtype: DType = 'float32'): GPUArray {
    const ctx = context();
    const buffer = ctx.pool.allocate(Math.max(sizeOf(shape), 1) * itemSize(dtype));
    return new GPUArray(new Storage(ctx, buffer), 0, shape, dtype);
  }

  get ndim(): number {
    return this.shape.length;
  }

  get nbytes(): number {
    return this.size * itemSize(this.dtype);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** @internal The engine's view of this array, for the backend facades only. */
  ref(op: string): ArrayRef {
    this.checkUsable(op);
    return { buffer: this.storage.buffer, offset: this.offset, shape: this.shape, strides: this.strides, dtype: this.dtype };
  }

  /** True when both arrays live in the same device buffer. */
  sharesStorageWith(other: GPUArray): boolean {
    return this.storage === other.storage;
  }

  get(): HostArray {
    const data = this.engine('GPUArray.get').read(this.ref('GPUArray.get'));
    return new HostArray(data, this.shape, this.dtype);
  }

  async getAsync(): Promise<HostArray> {
    const data = await this.engine('GPUArray.getAsync').readAsync(this.ref('GPUArray.getAsync'));
    return new HostArray(data, this.shape, this.dtype);
  }

  set(src: GPUArray | HostArray): this {
    if (!sameShape(src.shape, this.shape) || src.dtype !== this.dtype) {
      throw new BackendError(
        'GPUArray.set',
        `source ${fmtShape(src.shape)} ${src.dtype} does not match destination ${fmtShape(this.shape)} ${this.dtype}`,
      );
    }
    const engine = this.engine('GPUArray.set');
    if (src instanceof GPUArray) engine.copy(this.ref('GPUArray.set'), src.ref('GPUArray.set'));
    else engine.write(this.ref('GPUArray.set'), src.data);
    return this;
  }

  fill(value: number): this {
    const engine = this.engine('GPUArray.fill');
    if (this.contiguous) engine.fill(this.ref('GPUArray.fill'), value);
    else engine.write(this.ref('GPUArray.fill'), HostArray.from(new Float32Array(this.size).fill(value), { dtype: this.dtype }).data);
    return this;
  }

  reshape(...shape: number[] | [readonly number[]]): GPUArray {
    const target = (Array.isArray(shape[0]) ? shape[0] : shape) as number[];
    this.requireContiguous('GPUArray.reshape');
    // Reshaping to the same shape is how modules take a plain view: it can share this array's frozen shape.
    const resolved = sameShape(target, this.shape) ? this.shape : resolveReshape('GPUArray.reshape', this.shape, target);
    return this.view(this.offset, resolved);
  }

  ravel(): GPUArray {
    this.requireContiguous('GPUArray.ravel');
    return this.view(this.offset, [this.size]);
  }

  /** A view of a sub-block (PuzzleLib's __getitem__): writes through it reach this array. */
  slice(...ranges: SliceRange[]): GPUArray {
    this.checkUsable('GPUArray.slice');
    if (ranges.length === 0) return this.view(this.offset, this.shape, this.strides);
    const v = sliceView(this.shape, this.strides, ranges);
    return this.view(this.offset + v.offset, v.shape, v.strides);
  }

  /** A fresh contiguous copy. */
  copy(): GPUArray {
    const out = GPUArray.empty(this.shape, this.dtype);
    this.engine('GPUArray.copy').copy(out.ref('GPUArray.copy'), this.ref('GPUArray.copy'));
    return out;
  }

  astype(dtype: DType): GPUArray {
    if (dtype === this.dtype) return this.copy();
    this.requireContiguous('GPUArray.astype');
    const out = GPUArray.empty(this.shape, dtype);
    this.engine('GPUArray.astype').cast(out.ref('GPUArray.astype'), this.ref('GPUArray.astype'));
    return out;
  }

  /** Drops this handle; the storage returns to the pool once every view of it is disposed. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.storage.releaseRef();
  }

  toString(): string {
    return `GPUArray${fmtShape(this.shape)} ${this.dtype}`;
  }

  private view(offset: number, shape: Shape, strides?: Shape): GPUArray {
    this.checkUsable('GPUArray.view');
    return new GPUArray(this.storage.retain(), offset, shape, this.dtype, strides);
  }

  private engine(op: string) {
    this.checkUsable(op);
    return this.storage.ctx.engine;
  }

  private checkUsable(op: string): void {
    if (this.disposed) throw new BackendError(op, `${this.toString()} used after dispose`);
    if (context() !== this.storage.ctx) {
      throw new BackendError(op, `${this.toString()} belongs to engine ${this.storage.ctx.engine.name}, the active engine is ${context().engine.name}`);
    }
  }

  private requireContiguous(op: string): void {
    if (!this.contiguous) throw new BackendError(op, `needs a contiguous array, got a strided view ${fmtShape(this.shape)}`);
  }
}

/** Shapes and strides never change once made; a list that is already frozen (another array's) is shared as is. */
function frozen(list: Shape): Shape {
  return Object.isFrozen(list) ? list : Object.freeze([...list]);
}
