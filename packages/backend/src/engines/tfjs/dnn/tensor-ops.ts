import type { TensorOps } from '../../../engine/tensor-ops.js';
import type { Tf } from '../tfjs-loader.js';

export function tensorOps(_tf: Tf): TensorOps {
  return {};
}
