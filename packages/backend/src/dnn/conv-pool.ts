// Dnn facade: convolution, deconvolution and pooling (PuzzleLib Dnn §1.7) on 4-D NCHW arrays.
export type { SpatialParam } from './conv-params.js';
export {
  convNd,
  convNdBackwardData,
  convNdBackwardParams,
  convOutputShape,
  type ConvOptions,
  type ParamGradOptions,
} from './conv-nd.js';
export { deconvNd, deconvNdBackwardData, deconvNdBackwardParams, deconvOutputShape, type DeconvOptions } from './conv-transposed.js';
export { PoolMode, poolNd, poolNdBackward, poolOutputShape, type PoolOptions } from './pool-nd.js';
