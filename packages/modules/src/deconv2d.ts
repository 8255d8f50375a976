import { Dnn } from '@puzzle/backend';
import { ConvLayer, type ConvKind } from './conv-layer.js';
import { pairOf } from './spatial-view.js';
import type { Conv2DOptions } from './conv2d.js';

export interface Deconv2DOptions extends Conv2DOptions {
  /** Extra output cells at the end of each axis; less than max(stride, dilation). */
  postpad?: number | [number, number];
}

/** Transposed convolution through Dnn.deconvNd with W (inmaps, outmaps/groups, kh, kw). */
const DECONVOLUTION: ConvKind = {
  weightShape: (inmaps, outmaps, groups, size) => [inmaps, outmaps / groups, ...size],
  factorTranspose: true,
  forward: (x, W, b, opts) => Dnn.deconvNd(x, W, b, opts),
  backwardData: (grad, W, x, opts) => Dnn.deconvNdBackwardData(grad, W, x, opts),
  backwardParams: (x, grad, W, b, opts) => void Dnn.deconvNdBackwardParams(x, grad, W, b, opts),
  outputShape: (shape, wShape, opts) => Dnn.deconvOutputShape(shape, wShape, opts),
  inputShape: (shape, wShape, opts) => {
    const [stride, pad, dilation, postpad] = [pairOf(opts.stride ?? 1), pairOf(opts.pad ?? 0), pairOf(opts.dilation ?? 1), pairOf(opts.postpad ?? 0)];
    const spatial = shape.slice(2).map((o, a) => {
      const span = dilation[a]! * (wShape[a + 2]! - 1) + 1;
      return Math.floor((o - postpad[a]! + 2 * pad[a]! - span) / stride[a]!) + 1;
    });
    return [shape[0]!, wShape[0]!, ...spatial];
  },
};

/**
 * 2-D transposed convolution on (N, inmaps, H, W) data. Its bias is (1, outmaps, 1, 1), one value per output map
 * (PuzzleLib sizes it outmaps/groups: a bug fixed by port decision 3).
 */
export class Deconv2D extends ConvLayer {
  constructor(inmaps: number, outmaps: number, size: number | [number, number], opts: Deconv2DOptions = {}) {
    const geometry = {
      size: pairOf(size),
      stride: pairOf(opts.stride ?? 1),
      pad: pairOf(opts.pad ?? 0),
      dilation: pairOf(opts.dilation ?? 1),
      postpad: pairOf(opts.postpad ?? 0),
    };
    super(DECONVOLUTION, 2, inmaps, outmaps, geometry, opts);
  }
}
