import type { ConvPoolOps } from '../../engine/conv-pool-ops.js';
import { CODES } from './cuda-addon.js';
import { addressOf } from './cuda-buffer.js';
import { dtypeOf, type CudaDnnContext } from './cuda-dnn-context.js';
import { poolShape } from './cuda-dnn-geometry.js';

// Max and average pooling; the backward is a deterministic gather (max: the first maximum of each window).

export function poolOps({ addon }: CudaDnnContext): Pick<Required<ConvPoolOps>, 'poolNd' | 'poolNdBackward'> {
  return {
    poolNd(x, out, geom) {
      const shape = poolShape('cuda.poolNd', x.shape, out.shape, geom);
      addon.poolForward(CODES.pool[geom.mode], dtypeOf(x), addressOf(x), addressOf(out), shape);
    },
    // y is not needed: the max backward re-derives each window's argmax from x, exactly as the forward did.
    poolNdBackward(x, _y, grad, out, geom) {
      const shape = poolShape('cuda.poolNdBackward', x.shape, grad.shape, geom);
      addon.poolBackward(CODES.pool[geom.mode], dtypeOf(x), addressOf(x), addressOf(grad), addressOf(out), shape);
    },
  };
}
