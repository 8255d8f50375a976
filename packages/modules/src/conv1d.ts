import { ConvLayer, type ConvLayerOptions } from './conv-layer.js';
import { CONVOLUTION } from './conv2d.js';

export interface Conv1DOptions extends ConvLayerOptions {
  stride?: number;
  pad?: number;
  dilation?: number;
}

/** 1-D convolution on (N, inmaps, L) data, run as Conv2D on (N, inmaps, 1, L) with W (outmaps, inmaps/groups, 1, size). */
export class Conv1D extends ConvLayer {
  constructor(inmaps: number, outmaps: number, size: number, opts: Conv1DOptions = {}) {
    const geometry = {
      size: [1, size] as [number, number],
      stride: [1, opts.stride ?? 1] as [number, number],
      pad: [0, opts.pad ?? 0] as [number, number],
      dilation: [1, opts.dilation ?? 1] as [number, number],
      postpad: [0, 0] as [number, number],
    };
    super(CONVOLUTION, 1, inmaps, outmaps, geometry, opts);
  }
}
