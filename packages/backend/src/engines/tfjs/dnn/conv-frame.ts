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
