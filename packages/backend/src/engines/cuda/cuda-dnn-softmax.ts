import type { TensorOps } from '../../engine/tensor-ops.js';
import { addressOf } from './cuda-buffer.js';
import { dtypeOf, type CudaDnnContext } from './cuda-dnn-context.js';
import { channelView } from './cuda-dnn-geometry.js';

// Softmax over C of x viewed as (N, C, S), shifted by the channel maximum; backward y·(g − Σ_c y·g).

export function softmaxOps({ addon }: CudaDnnContext): Pick<Required<TensorOps>, 'softmaxNd' | 'softmaxNdBackward'> {
  return {
    softmaxNd(x, out) {
      const [n, c, s] = channelView(x);
      addon.softmax(dtypeOf(x), addressOf(x), addressOf(out), n, c, s);
    },
    softmaxNdBackward(y, grad, out) {
      const [n, c, s] = channelView(y);
      addon.softmaxBackward(dtypeOf(y), addressOf(y), addressOf(grad), addressOf(out), n, c, s);
    },
  };
}
