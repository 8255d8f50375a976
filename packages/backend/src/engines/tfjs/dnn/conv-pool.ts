import type { ConvPoolOps } from '../../../engine/conv-pool-ops.js';
import type { Tf } from '../tfjs-loader.js';

export function convPoolOps(_tf: Tf): ConvPoolOps {
  return {};
}
