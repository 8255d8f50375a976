import { Dnn } from '@puzzle/backend';
import { ConvLayer, type ConvKind, type ConvLayerOptions } from './conv-layer.js';
import { pairOf } from './spatial-view.js';

export interface Conv2DOptions extends ConvLayerOptions {
  stride?: number | [number, number];
  pad?: number | [number, number];
  dilation?: number | [number, number];
}

/** Convolution through Dnn.convNd with W (outmaps, inmaps/groups, kh, kw). */
export const CONVOLUTION: ConvKind = {
  weightShape: (inmaps, outmaps, groups, size) => [outmaps, inmaps / groups, ...size],
  factorTranspose: false,
  forward: (x, W, b, opts) => Dnn.convNd(x, W, b, opts),
  backwardData: (grad, W, x, opts) => Dnn.convNdBackwardData(grad, W, x, opts),
  backwardParams: (x, grad, W, b, opts) => void Dnn.convNdBackwardParams(x, grad, W, b, opts),
  outputShape: (shape, wShape, opts) => Dnn.convOutputShape(shape, wShape, opts),
  inputShape: (shape, wShape, opts) => {
    const [stride, pad, dilation] = [pairOf(opts.stride ?? 1), pairOf(opts.pad ?? 0), pairOf(opts.dilation ?? 1)];
    const spatial = shape.slice(2).map((o, a) => (o - 1) * stride[a]! + dilation[a]! * (wShape[a + 2]! - 1) + 1 - 2 * pad[a]!);
    return [shape[0]!, wShape[1]! * (opts.groups ?? 1), ...spatial];
  },
};

/** 2-D convolution layer on (N, inmaps, H, W) data; bias (1, outmaps, 1, 1) starts at zero. */
export class Conv2D extends ConvLayer {
  constructor(inmaps: number, outmaps: number, size: number | [number, number], opts: Conv2DOptions = {}) {
    const geometry = {
      size: pairOf(size),
      stride: pairOf(opts.stride ?? 1),
      pad: pairOf(opts.pad ?? 0),
      dilation: pairOf(opts.dilation ?? 1),
      postpad: pairOf(0),
    };
    super(CONVOLUTION, 2, inmaps, outmaps, geometry, opts);
  }
}
