import type { ArrayRef } from './engine.js';

/** Per-spatial-axis geometry of a convolution; every list has one entry per spatial axis (2 for 4-D arrays). */
export interface ConvGeometry {
  readonly stride: readonly number[];
  readonly pad: readonly number[];
  readonly dilation: readonly number[];
  readonly groups: number;
}

/** A transposed convolution adds `postpad` extra cells at the end of each output axis. */
export interface DeconvGeometry extends ConvGeometry {
  readonly postpad: readonly number[];
}

/** Accumulation rule of parameter gradients: grad = scale·fresh + momentum·grad. */
export interface GradAccumulation {
  readonly scale: number;
  readonly momentum: number;
}

export type PoolMode = 'max' | 'avgWithPad' | 'avgNoPad';

export interface PoolGeometry {
  readonly size: readonly number[];
  readonly stride: readonly number[];
  readonly pad: readonly number[];
  readonly mode: PoolMode;
}

/**
 * Convolution, deconvolution and pooling ops of the Dnn engine (PuzzleLib Dnn §1.7) on contiguous NCHW arrays
 * of one float dtype. The facade has validated every shape: conv W is (Cout, Cin/groups, k...), deconv W is
 * (Cin, Cout/groups, k...), biases hold Cout values, outputs are allocated with the right shape.
 * Each op is optional so that an engine can grow them one at a time; the facade reports the missing ones.
 */
export interface ConvPoolOps {
  /** out = conv(x, w) (+ bias per output map). */
  convNd?(x: ArrayRef, w: ArrayRef, bias: ArrayRef | null, out: ArrayRef, geom: ConvGeometry): void;
  /** out (shaped like the forward input) = gradient of the convolution with respect to its input. */
  convNdBackwardData?(grad: ArrayRef, w: ArrayRef, out: ArrayRef, geom: ConvGeometry): void;
  /** wgrad and bgrad (when given) accumulate the weight and bias gradients by `acc`. */
  convNdBackwardParams?(
    x: ArrayRef,
    grad: ArrayRef,
    wgrad: ArrayRef,
    bgrad: ArrayRef | null,
    geom: ConvGeometry,
    acc: GradAccumulation,
  ): void;

  /** out = transposed conv(x, w) (+ bias per output map). */
  deconvNd?(x: ArrayRef, w: ArrayRef, bias: ArrayRef | null, out: ArrayRef, geom: DeconvGeometry): void;
  /** out (shaped like the forward input) = the forward convolution of grad with w. */
  deconvNdBackwardData?(grad: ArrayRef, w: ArrayRef, out: ArrayRef, geom: DeconvGeometry): void;
  deconvNdBackwardParams?(
    x: ArrayRef,
    grad: ArrayRef,
    wgrad: ArrayRef,
    bgrad: ArrayRef | null,
    geom: DeconvGeometry,
    acc: GradAccumulation,
  ): void;

  /** Max pooling pads with −∞; avgWithPad divides by the window size, avgNoPad by the count of real cells. */
  poolNd?(x: ArrayRef, out: ArrayRef, geom: PoolGeometry): void;
  /** out = input gradient of poolNd; max routes each grad to the first maximum of its window. */
  poolNdBackward?(x: ArrayRef, y: ArrayRef, grad: ArrayRef, out: ArrayRef, geom: PoolGeometry): void;
}
