import type { ArrayRef } from './engine.js';

/**
 * Batch norm over x viewed as (N, C, S): statistics per channel over N and S (the facade folds the spatial axes
 * into C for perActivation mode). scale, bias, mean and var hold C float32 values.
 */
export interface BatchNormForward {
  x: ArrayRef;
  scale: ArrayRef;
  bias: ArrayRef;
  mean: ArrayRef;
  var: ArrayRef;
  out: ArrayRef;
  epsilon: number;
  /**
   * Present in train mode: batch statistics are used, the running stats are blended in place with weight
   * `factor` (unbiased variance), and the batch mean and 1/√(biased var + ε) are written to savemean/saveinvvar.
   */
  train?: { factor: number; savemean: ArrayRef; saveinvvar: ArrayRef };
}

/** Input and parameter gradients of a train-mode batch norm over x viewed as (N, C, S). */
export interface BatchNormBackward {
  x: ArrayRef;
  grad: ArrayRef;
  scale: ArrayRef;
  savemean: ArrayRef;
  saveinvvar: ArrayRef;
  ingrad: ArrayRef;
  scalegrad: ArrayRef;
  biasgrad: ArrayRef;
}

/** Padding amounts (before, after) for the trailing dims of x, one pair per padded dim. */
export type PadWidths = readonly (readonly [number, number])[];

export type UpsampleMode = 'nearest' | 'linear';

/**
 * Upsampling of the trailing `scales.length` dims by integer factors: nearest = block replication, linear =
 * align-corners interpolation (source coordinate (in−1)/(out−1)·dst, upper neighbour clamped).
 */
export interface UpsampleArgs {
  x: ArrayRef;
  out: ArrayRef;
  scales: readonly number[];
  mode: UpsampleMode;
}

/**
 * Batch/instance norm, softmax, pads, upsampling, axis permutations, PRelu and embedding ops of the Dnn engine.
 * Every array is contiguous and already validated by the facade; float arrays compute in float32.
 * Members are optional so that an engine can implement them one at a time (the facade reports the missing ones).
 */
export interface TensorOps {
  /** x viewed as (N, C, S): softmax over C for every (n, s). */
  softmaxNd?(x: ArrayRef, out: ArrayRef): void;
  /** out = y·(g − Σ_c y·g), with y the forward output viewed as (N, C, S). */
  softmaxNdBackward?(y: ArrayRef, grad: ArrayRef, out: ArrayRef): void;

  batchNormNd?(args: BatchNormForward): void;
  /** Fresh gradients: ingrad, scalegrad = Σ g·x̂, biasgrad = Σ g. */
  batchNormNdBackward?(args: BatchNormBackward): void;

  /** numpy pad mode 'reflect' (edge not repeated) on the trailing dims. */
  reflectPad?(x: ArrayRef, out: ArrayRef, pads: PadWidths): void;
  /** Adjoint of reflectPad: the interior plus every mirrored contribution. */
  reflectPadBackward?(grad: ArrayRef, out: ArrayRef, pads: PadWidths): void;

  upsample?(args: UpsampleArgs): void;
  /** Adjoint of upsample: `x` is the gradient of the upsampled output, `out` the input gradient. */
  upsampleBackward?(args: UpsampleArgs): void;

  /** numpy transpose into a contiguous out. */
  transpose?(x: ArrayRef, out: ArrayRef, axes: readonly number[]): void;

  /** x viewed as (N, C, S), slopes of length C or 1 (shared): out = x > 0 ? x : slope·x. */
  prelu?(x: ArrayRef, slopes: ArrayRef, out: ArrayRef): void;
  /** out = g·([x > 0] + slope·[x ≤ 0]). */
  preluBackwardData?(grad: ArrayRef, slopes: ArrayRef, x: ArrayRef, out: ArrayRef): void;
  /** out (length C or 1) = alpha·Σ g·x·[x ≤ 0] + beta·out, summed over N, S (and C when out has one element). */
  preluBackwardParams?(x: ArrayRef, grad: ArrayRef, out: ArrayRef, alpha: number, beta: number): void;

  /** indices int32 (N, L), W (V, E) → out (N, L, E); index −1 gives a zero row. */
  embed?(indices: ArrayRef, W: ArrayRef, out: ArrayRef): void;
  /** wgrad = alpha·(scatter-add of grad rows at indices, −1 skipped) + beta·wgrad. */
  embedBackwardParams?(indices: ArrayRef, grad: ArrayRef, wgrad: ArrayRef, alpha: number, beta: number): void;
}
