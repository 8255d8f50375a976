import { allocTyped, checkDType, type DType, type TypedArray } from './dtype.js';
import { BackendError, fmtShape } from './errors.js';
import { float32ToHalf, fromHalfBits, halfToFloat32 } from './float16.js';
import { getGlobalRng, Rng } from './random.js';
import { checkShape, contiguousStrides, sizeOf, type Shape } from './shape.js';

type Nested = number | readonly Nested[];

/** A dense C-ordered host array: the numpy of the examples. */
export class HostArray {
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly data: TypedArray;

  constructor(data: TypedArray, shape: Shape, dtype: DType) {
    if (data.length !== sizeOf(shape)) {
      throw new BackendError('HostArray', `data of length ${data.length} does not fit shape ${fmtShape(shape)}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
  }

  get size(): number {
    return this.data.length;
  }

  static zeros(shape: Shape, dtype: DType = 'float32'): HostArray {
    return new HostArray(allocTyped(dtype, sizeOf(checkShape('HostArray.zeros', shape))), shape, checkDType('HostArray.zeros', dtype));
  }

  /** Standard normal float32 samples; seeded when `seed` is given, else from the global generator. */
  static randn(shape: Shape, opts: { seed?: number; dtype?: DType } = {}): HostArray {
    const rng = opts.seed === undefined ? getGlobalRng() : new Rng(opts.seed);
    const values = new Float64Array(sizeOf(checkShape('HostArray.randn', shape)));
    for (let i = 0; i < values.length; i++) values[i] = rng.normal();
    return HostArray.from(values, { shape, dtype: opts.dtype ?? 'float32' });
  }

  /** Uniform samples in [low, high). */
  static rand(shape: Shape, opts: { seed?: number; low?: number; high?: number } = {}): HostArray {
    const rng = opts.seed === undefined ? getGlobalRng() : new Rng(opts.seed);
    const { low = 0, high = 1 } = opts;
    const out = new Float32Array(sizeOf(checkShape('HostArray.rand', shape)));
    for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * rng.uniform();
    return new HostArray(out, shape, 'float32');
  }

  /** From flat values (with `shape`) or nested arrays (shape inferred). Values are converted to `dtype`. */
  static from(values: ArrayLike<number> | Nested, opts: { shape?: Shape; dtype?: DType } = {}): HostArray {
    const dtype = checkDType('HostArray.from', opts.dtype ?? 'float32');
    let flat: ArrayLike<number>;
    let shape: Shape;
    if (typeof values === 'number') {
      flat = [values];
      shape = opts.shape ?? [];
    } else if (Array.isArray(values) && values.some((v) => Array.isArray(v))) {
      flat = (values as unknown[]).flat(Infinity) as number[];
      shape = opts.shape ?? inferShape(values as Nested);
    } else {
      flat = values as ArrayLike<number>;
      shape = opts.shape ?? [flat.length];
    }
    if (sizeOf(shape) !== flat.length) {
      throw new BackendError('HostArray.from', `${flat.length} values do not fit shape ${fmtShape(shape)}`);
    }
    const data = allocTyped(dtype, flat.length);
    if (dtype === 'float16') float32ToHalf(flat, data as Uint16Array);
    else for (let i = 0; i < flat.length; i++) data[i] = flat[i]!;
    return new HostArray(data, checkShape('HostArray.from', shape), dtype);
  }

  /** The element at a multi-index (negative indices wrap), as a number. */
  at(...index: number[]): number {
    if (index.length !== this.shape.length) {
      throw new BackendError('HostArray.at', `index of ${index.length} dims for shape ${fmtShape(this.shape)}`);
    }
    const strides = contiguousStrides(this.shape);
    let flat = 0;
    index.forEach((i, axis) => {
      const d = this.shape[axis]!;
      const j = i < 0 ? i + d : i;
      if (!Number.isInteger(j) || j < 0 || j >= d) throw new BackendError('HostArray.at', `index ${i} out of range for axis ${axis} of size ${d}`);
      flat += j * strides[axis]!;
    });
    const v = this.data[flat]!;
    return this.dtype === 'float16' ? fromHalfBits(v) : v;
  }

  /** Values as float32/int32 numbers (float16 decoded). */
  toFloat32(): Float32Array {
    if (this.dtype === 'float16') return halfToFloat32(this.data as Uint16Array);
    return Float32Array.from(this.data);
  }

  toArray(): number[] {
    return Array.from(this.dtype === 'float16' ? this.toFloat32() : this.data);
  }

  reshape(...shape: number[]): HostArray {
    return new HostArray(this.data, shape, this.dtype);
  }
}

function inferShape(values: Nested): number[] {
  if (typeof values === 'number') return [];
  const shape = [values.length];
  if (values.length > 0) shape.push(...inferShape(values[0]!));
  return shape;
}
