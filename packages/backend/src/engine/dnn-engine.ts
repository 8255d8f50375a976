import type { ConvPoolOps } from './conv-pool-ops.js';
import type { TensorOps } from './tensor-ops.js';

/**
 * Dnn ops (convolution, pooling, normalisation, softmax, pads, resampling, axis moves) an engine may implement.
 * The facades `Dnn` and `Memory` report a BackendError on an engine that lacks them.
 */
export interface DnnEngine extends ConvPoolOps, TensorOps {}
