import type { CostOps } from '../../engine/cost-ops.js';
import type { Tf } from './tfjs-loader.js';

export function tfjsCostOps(_tf: Tf): CostOps {
  return {};
}
