import type { ConvGeometry } from '../../../engine/conv-pool-ops.js';

type Pair = [number, number];

/**
 * One 2-D convolution seen from both sides: its input has `inSize` cells per spatial axis, its output `outSize`.
 * Transposed convolutions are described by the convolution they transpose (input = the deconv output).
 */
export interface ConvFrame {
  readonly stride: Pair;
  readonly dilation: Pair;
  readonly kernel: Pair;
  readonly padBefore: Pair;
  readonly inSize: Pair;
  readonly outSize: Pair;
}

const pair = (v: readonly number[]): Pair => [v[0]!, v[1]!];
const spatial = (shape: readonly number[]): Pair => [shape[2]!, shape[3]!];

export function convFrame(geom: ConvGeometry, inShape: readonly number[], outShape: readonly number[], wShape: readonly number[]): ConvFrame {
  return {
    stride: pair(geom.stride),
    dilation: pair(geom.dilation),
    kernel: spatial(wShape),
    padBefore: pair(geom.pad),
    inSize: spatial(inShape),
    outSize: spatial(outShape),
  };
}

/** Extent of a dilated window. */
export function span(f: ConvFrame, axis: 0 | 1): number {
  return f.dilation[axis] * (f.kernel[axis] - 1) + 1;
}

/**
 * The trailing pad after which the last window ends exactly: output size and padding then agree whatever the
 * rounding or postpad was. Negative means trailing input cells that no window reads.
 */
export function padAfter(f: ConvFrame, axis: 0 | 1): number {
  return f.stride[axis] * (f.outSize[axis] - 1) + span(f, axis) - f.inSize[axis] - f.padBefore[axis];
}
