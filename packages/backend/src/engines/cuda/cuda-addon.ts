import type { DType, TypedArray } from '../../dtype.js';
import type { PoolMode } from '../../engine/conv-pool-ops.js';
import type { CostKernel } from '../../engine/cost-ops.js';
import type { ActivationKind, ElementwiseOp, OptimizerRule, ReduceKind } from '../../engine/engine.js';
import type { Float32MatmulPrecision } from '../../engine/matmul-precision.js';
import type { UpsampleMode } from '../../engine/tensor-ops.js';

/**
 * The surface of puzzle_cuda.node (packages/backend/native). Device addresses travel as numbers: user-space
 * addresses stay below 2^53, so a double holds them exactly and no BigInt is allocated per call. Flags are 0/1.
 * Every function throws an Error (with a CUDA or cuBLAS `code`) on failure; callers turn it into a BackendError.
 */
export interface CudaAddon {
  readonly interfaceVersion: number;
  readonly codes: CudaCodes;

  /** Only puzzle_cuda_sim.node (the CUDA simulator, native/sim) has it. */
  readonly simulator?: CudaSimulatorControls;

  probe(): { ok: true; device: string } | { ok: false; reason: string };
  /** Opens the device (context, cuBLAS handle, scratch); idempotent; returns its description. */
  init(device: number): string;

  malloc(nbytes: number): number;
  free(address: number): void;
  /** `layout` is null for a contiguous region, else [ndim, ...shape, ...strides] in elements. */
  write(dst: number, itemBytes: number, layout: Float64Array | null, src: TypedArray): void;
  read(src: number, itemBytes: number, layout: Float64Array | null, dst: TypedArray): void;
  /** Resolves with `dst` once the copy, enqueued now in stream order, has landed in it. */
  readAsync(src: number, itemBytes: number, layout: Float64Array | null, dst: TypedArray): Promise<TypedArray>;
  /** `layout` is [ndim, ...shape, ...dstStrides, ...srcStrides] in elements. */
  copy(dst: number, src: number, itemBytes: number, layout: Float64Array): void;
  /** Sets `count` elements of `itemBytes` bytes to the bit pattern `bits`. */
  fill(dst: number, count: number, itemBytes: number, bits: number): void;
  cast(dst: number, dstDtype: number, src: number, srcDtype: number, count: number): void;
  synchronize(): void;
  memInfo(): { free: number; total: number };

  /** Row-major out (m×n) = alpha·op(a)·op(b) + beta·out; `precision` is a `codes.matmulPrecision` code (float32 only). */
  gemm(dtype: number, transA: number, transB: number, m: number, n: number, k: number, alpha: number, a: number, b: number, beta: number, out: number, precision: number): void;
  /** `y` is read by dot only. */
  reduce(kind: number, dtype: number, x: number, y: number, count: number): number;
  sumOnMatrix(dtype: number, a: number, out: number, rows: number, cols: number, alongCols: number, alpha: number, beta: number): void;
  addVecToMat(dtype: number, vec: number, mat: number, out: number, axis: number, batch: number, n: number, m: number, vecLen: number): void;
  argmax(dtype: number, x: number, out: number, outer: number, len: number, inner: number): void;

  activation(fn: number, dtype: number, out: number, x: number, count: number, a: number, b: number): void;
  activationGrad(fn: number, dtype: number, out: number, grad: number, y: number, count: number, a: number, b: number): void;
  arithmetic(kind: number, dtype: number, out: number, x: number, y: number, count: number, a: number, b: number, mapsize: number): void;
  /** States s0..s2 and hyper-parameters h0..h3 in the order of the rule's fields. */
  optimizer(kind: number, dtype: number, count: number, param: number, grad: number, s0: number, s1: number, s2: number, h0: number, h1: number, h2: number, h3: number): void;
  fillRandom(dist: number, out: number, count: number, a: number, b: number, seed: number): void;
  /** int32 count[0] += NaN and ±Inf values of x (kernels/finiteness.cu). */
  countNonFinite(dtype: number, x: number, n: number, count: number): void;

  // Dnn (native/dnn_*_entries.cc). `shape` arguments are Float64Arrays laid out as cuda-dnn-geometry.ts describes;
  // `precision` is a `codes.matmulPrecision` code, as for gemm.
  /** y = conv(x, w) without bias; `shape` is a ConvShape. */
  convForward(dtype: number, x: number, w: number, y: number, shape: Float64Array, precision: number): void;
  /** dx (overwritten) = input gradient of convForward. */
  convBackwardData(dtype: number, dy: number, w: number, dx: number, shape: Float64Array, precision: number): void;
  /** wgrad = scale·dW + momentum·wgrad (momentum 0 ignores wgrad). */
  convBackwardParams(dtype: number, x: number, dy: number, wgrad: number, shape: Float64Array, scale: number, momentum: number, precision: number): void;
  /** out[n, c, s] += bias[c]. */
  addChannelBias(dtype: number, out: number, bias: number, n: number, c: number, s: number): void;
  /** out[c] = alpha·Σ_{n,s} x[n, c, s] + beta·out[c] (beta 0 ignores out). */
  channelSums(dtype: number, x: number, out: number, n: number, c: number, s: number, alpha: number, beta: number): void;
  poolForward(mode: number, dtype: number, x: number, y: number, shape: Float64Array): void;
  poolBackward(mode: number, dtype: number, x: number, grad: number, dx: number, shape: Float64Array): void;
  softmax(dtype: number, x: number, y: number, n: number, c: number, s: number): void;
  softmaxBackward(dtype: number, y: number, grad: number, out: number, n: number, c: number, s: number): void;
  /** Test mode (train 0) ignores factor, savemean and saveinvvar. Statistics and parameters are float32. */
  batchNormForward(
    dtype: number,
    x: number,
    out: number,
    scale: number,
    bias: number,
    mean: number,
    variance: number,
    n: number,
    c: number,
    s: number,
    epsilon: number,
    train: number,
    factor: number,
    savemean: number,
    saveinvvar: number,
  ): void;
  batchNormBackward(dtype: number, x: number, grad: number, scale: number, savemean: number, saveinvvar: number, ingrad: number, scalegrad: number, biasgrad: number, n: number, c: number, s: number): void;
  reflectPad(dtype: number, x: number, out: number, shape: Float64Array): void;
  reflectPadBackward(dtype: number, grad: number, out: number, shape: Float64Array): void;
  upsample(mode: number, dtype: number, x: number, out: number, shape: Float64Array): void;
  upsampleBackward(mode: number, dtype: number, grad: number, out: number, shape: Float64Array): void;
  prelu(dtype: number, x: number, slopes: number, out: number, n: number, c: number, s: number, shared: number): void;
  preluBackwardData(dtype: number, grad: number, slopes: number, x: number, out: number, n: number, c: number, s: number, shared: number): void;
  preluBackwardParams(dtype: number, x: number, grad: number, out: number, n: number, c: number, s: number, shared: number, alpha: number, beta: number): void;
  embed(dtype: number, indices: number, table: number, out: number, count: number, vocab: number, width: number): void;
  /** wgrad = alpha·scatter-add(grad rows at indices) + beta·wgrad (beta 0 ignores wgrad). */
  embedBackward(dtype: number, indices: number, grad: number, wgrad: number, count: number, vocab: number, width: number, alpha: number, beta: number): void;

  // Costs (native/cost_entries.cc): each writes its grad(s) and leaves its error on the device, never waiting for
  // it: with e = errorScale·Σ error, errorSlots[0] = e and errorSlots[1] += e (two float32). Scores, targets and grads
  // are float32, labels int32, all contiguous.
  /** `kind` is a `codes.cost` code; `y` is the target (mse, abs, smoothL1) or the labels (bce, hinge). */
  costElementwise(kind: number, x: number, y: number, grad: number, count: number, gradNorm: number, errorSlots: number, errorScale: number): void;
  costL1Hinge(x1: number, x2: number, labels: number, g1: number, g2: number, rows: number, cols: number, gradNorm: number, errorSlots: number, errorScale: number): void;
  /** `weights` 0: every class weighs 1. */
  costCrossEntropy(scores: number, labels: number, grad: number, batch: number, classes: number, spatial: number, gradNorm: number, weights: number, errorSlots: number, errorScale: number): void;
  /** `squared` 1: the l2 mode. */
  costSvm(squared: number, scores: number, labels: number, grad: number, batch: number, classes: number, spatial: number, gradNorm: number, errorSlots: number, errorScale: number): void;
  costKlDivergence(pred: number, target: number, grad: number, rows: number, cols: number, normTarget: number, gradNorm: number, errorSlots: number, errorScale: number): void;
  // Counts return their result: each is one synchronisation.
  countLabelMismatch(predicted: number, labels: number, count: number): number;
  /** The threshold is compared in float32, like the scores. */
  countThresholdMismatch(values: number, labels: number, count: number, threshold: number, atMost: number): number;
  /** ±Infinity for no labels. */
  labelRange(labels: number, count: number): { min: number; max: number };
}

/** The simulator's controls: the order its threads and blocks run in, and how much it has run. */
export interface CudaSimulatorControls {
  /** 0: index order; any other seed shuffles the threads of a block between barriers, and the blocks of a launch. */
  setSeed(seed: number): void;
  seed(): number;
  counters(): { launches: number; blocks: number; threads: number; gemms: number };
  /** The next cudaGetDeviceCount fails with this cudaError_t code (to test the probe's wording). */
  failNextDeviceCount(code: number): void;
}

export type ArithmeticKind = Exclude<ElementwiseOp['kind'], 'activation' | 'activationGrad'>;

/** The cost kernels behind the one `costElementwise` entry. */
export type ElementwiseCostKind = Extract<CostKernel['kind'], 'mse' | 'abs' | 'smoothL1' | 'bce' | 'hinge'>;

export interface CudaCodes {
  dtype: Record<DType, number>;
  activation: Record<ActivationKind, number>;
  arithmetic: Record<ArithmeticKind, number>;
  optimizer: Record<OptimizerRule['kind'], number>;
  reduce: Record<ReduceKind | 'dot', number>;
  random: Record<'uniform' | 'normal', number>;
  pool: Record<PoolMode, number>;
  upsample: Record<UpsampleMode, number>;
  cost: Record<ElementwiseCostKind, number>;
  matmulPrecision: Record<Float32MatmulPrecision, number>;
}

/** Must equal kInterfaceVersion in native/addon.cc. */
export const INTERFACE_VERSION = 6;

/** Our copy of native/op_codes.h; the loader rejects an addon whose exported codes differ. */
export const CODES: CudaCodes = {
  dtype: { float32: 0, float16: 1, int32: 2 },
  activation: { sigmoid: 0, tanh: 1, relu: 2, leakyRelu: 3, elu: 4, softPlus: 5, clip: 6, gelu: 7 },
  arithmetic: { linear: 0, add: 1, mul: 2, abs: 3, dropout: 4, weightDecay: 5, l1Penalty: 6 },
  optimizer: { sgd: 0, momentumSGD: 1, nesterovSGD: 2, rmsprop: 3, rmspropGraves: 4, adagrad: 5, adadelta: 6, adam: 7, smorms3: 8 },
  reduce: { sum: 0, min: 1, max: 2, l1: 3, dot: 4 },
  random: { uniform: 0, normal: 1 },
  pool: { max: 0, avgWithPad: 1, avgNoPad: 2 },
  upsample: { nearest: 0, linear: 1 },
  cost: { abs: 0, smoothL1: 1, bce: 2, hinge: 3, mse: 4 },
  matmulPrecision: { highest: 0, high: 1, medium: 2 },
};
