import type { DType, TypedArray } from '../dtype.js';
import type { CostOps } from './cost-ops.js';
import type { DnnEngine } from './dnn-engine.js';

/** An engine's allocation; opaque to everything above the engine. */
export interface DeviceBuffer {
  readonly nbytes: number;
}

/** A region of a device buffer as an engine sees it. Offsets and strides count elements of `dtype`. */
export interface ArrayRef {
  readonly buffer: DeviceBuffer;
  readonly offset: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly dtype: DType;
}

export type ActivationKind = 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'elu' | 'softPlus' | 'clip' | 'gelu';

/**
 * Elementwise kernels of PuzzleLib's ElementWise module. All arrays are contiguous and of one float dtype,
 * the element count is that of `out`, math is fp32, and `out` may alias any input.
 */
export type ElementwiseOp =
  | { kind: 'activation'; fn: ActivationKind; out: ArrayRef; x: ArrayRef; a: number; b: number }
  /** `y` is the forward output, except for gelu where it is the forward input. */
  | { kind: 'activationGrad'; fn: ActivationKind; out: ArrayRef; grad: ArrayRef; y: ArrayRef; a: number; b: number }
  /** out = a·x + b */
  | { kind: 'linear'; out: ArrayRef; x: ArrayRef; a: number; b: number }
  /** out = alpha·x + beta·y */
  | { kind: 'add'; out: ArrayRef; x: ArrayRef; alpha: number; y: ArrayRef; beta: number }
  /** out = x·y */
  | { kind: 'mul'; out: ArrayRef; x: ArrayRef; y: ArrayRef }
  | { kind: 'abs'; out: ArrayRef; x: ArrayRef }
  /** out = x·[u < p]/p, with one uniform draw `u` per `mapsize` consecutive elements (1 for plain dropout). */
  | { kind: 'dropout'; out: ArrayRef; x: ArrayRef; uniform: ArrayRef; p: number; mapsize: number }
  /** grad −= rate·param (weight decay on the neg-grad) */
  | { kind: 'weightDecay'; grad: ArrayRef; param: ArrayRef; rate: number }
  /** out = grad − a·sign(data), sign(0) = +1 */
  | { kind: 'l1Penalty'; out: ArrayRef; grad: ArrayRef; data: ArrayRef; a: number };

/**
 * The fused in-place optimizer kernels of PuzzleLib (§1.9). `grad` is the neg-grad; every update adds to `param`.
 * State arrays `mg`, `ms`, `mem` of adam and smorms3 are float32 whatever the param dtype; other state has the param dtype.
 */
export type OptimizerRule =
  | { kind: 'sgd'; param: ArrayRef; grad: ArrayRef; lr: number }
  | { kind: 'momentumSGD'; param: ArrayRef; grad: ArrayRef; mom: ArrayRef; lr: number; momRate: number }
  | { kind: 'nesterovSGD'; param: ArrayRef; grad: ArrayRef; mom: ArrayRef; lr: number; momRate: number }
  | { kind: 'rmsprop'; param: ArrayRef; grad: ArrayRef; ms: ArrayRef; lr: number; factor: number; epsilon: number }
  | {
      kind: 'rmspropGraves';
      param: ArrayRef;
      grad: ArrayRef;
      mg: ArrayRef;
      ms: ArrayRef;
      delta: ArrayRef;
      lr: number;
      alpha: number;
      momRate: number;
      epsilon: number;
    }
  | { kind: 'adagrad'; param: ArrayRef; grad: ArrayRef; h: ArrayRef; lr: number; epsilon: number }
  | { kind: 'adadelta'; param: ArrayRef; grad: ArrayRef; msg: ArrayRef; msdx: ArrayRef; rho: number; epsilon: number }
  | {
      kind: 'adam';
      param: ArrayRef;
      grad: ArrayRef;
      mg: ArrayRef;
      ms: ArrayRef;
      lr: number;
      fix1: number;
      fix2: number;
      epsilon: number;
    }
  | { kind: 'smorms3'; param: ArrayRef; grad: ArrayRef; mem: ArrayRef; mg: ArrayRef; ms: ArrayRef; lr: number; epsilon: number };

export interface GemmOptions {
  transpA: boolean;
  transpB: boolean;
  alpha: number;
  beta: number;
}

export type ReduceKind = 'sum' | 'min' | 'max' | 'l1';

/**
 * The op interface every engine implements. Callers (the facades) have already validated shapes and dtypes
 * and guarantee contiguity where an op says so; engines throw BackendError only for their own failures.
 */
export interface Engine {
  readonly name: 'cuda' | 'tfjs';
  readonly device: string;

  alloc(nbytes: number): DeviceBuffer;
  free(buffer: DeviceBuffer): void;
  /**
   * Present when the engine checks every access against its allocation's bounds (the CUDA simulator): the pool then
   * allocates exact sizes, so that an overrun is not lost in a size bin's slack, and has a buffer it hands out again
   * poisoned like a fresh allocation, so that reading memory nobody wrote shows up.
   */
  readonly checkedMemory?: { poison(buffer: DeviceBuffer): void };

  /** Host → device into a possibly strided region; `src` is contiguous with `dst`'s element count. */
  write(dst: ArrayRef, src: TypedArray): void;
  /** Device → host; returns a contiguous copy of a possibly strided region. */
  read(src: ArrayRef): TypedArray;
  readAsync(src: ArrayRef): Promise<TypedArray>;
  /** Strided copy between regions of one dtype and shape. */
  copy(dst: ArrayRef, src: ArrayRef): void;
  /** Contiguous. */
  fill(dst: ArrayRef, value: number): void;
  /** Contiguous conversion between dtypes of equal element count. */
  cast(dst: ArrayRef, src: ArrayRef): void;
  synchronize(): void;

  /** out = alpha·op(a)·op(b) + beta·out for 2-D contiguous float arrays; beta = 0 ignores out's contents. */
  gemm(a: ArrayRef, b: ArrayRef, out: ArrayRef, opts: GemmOptions): void;
  /** 2-D: cols → sums over axis 0, else over axis 1; out = alpha·sum + beta·out. */
  sumOnMatrix(a: ArrayRef, out: ArrayRef, cols: boolean, alpha: number, beta: number): void;
  /** Whole-array reductions of a contiguous float array, accumulated in fp32 or better. */
  reduce(kind: ReduceKind, x: ArrayRef): number;
  dot(x: ArrayRef, y: ArrayRef): number;
  /**
   * mat viewed as (batch, n, m). axis 1: out[b,i,j] = mat[b,i,j] + vec[b, j % vecLen];
   * axis 0: out[b,i,j] = mat[b,i,j] + vec[b, i].
   */
  addVecToMat(vec: ArrayRef, mat: ArrayRef, out: ArrayRef, axis: 0 | 1, batch: number, n: number, m: number): void;
  /** x viewed as (outer, len, inner); out int32 (outer, inner): index of the maximum along len (first on ties). */
  argmax(x: ArrayRef, out: ArrayRef, outer: number, len: number, inner: number): void;

  elementwise(op: ElementwiseOp): void;
  optimizerStep(rule: OptimizerRule): void;
  /** Fills a contiguous float32 array with uniform [a, b) or normal (mean a, std b) samples. */
  fillRandom(out: ArrayRef, dist: 'uniform' | 'normal', a: number, b: number, seed: number): void;
  /**
   * Adds the number of NaN and ±Inf values of the contiguous float array `x` to the int32 scalar `count`, on the
   * device: anomaly detection checks every module's arrays with it and reads the count once.
   */
  countNonFinite(x: ArrayRef, count: ArrayRef): void;

  /** Convolution, pooling, normalisation and friends; absent on an engine that has not implemented them yet. */
  readonly dnn?: DnnEngine;
  /** Fused cost kernels; absent on an engine that has not implemented them yet. */
  readonly costs?: CostOps;
}
