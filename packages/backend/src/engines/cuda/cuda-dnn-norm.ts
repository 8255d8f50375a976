import type { TensorOps } from '../../engine/tensor-ops.js';
import { addressOf } from './cuda-buffer.js';
import { dtypeOf, type CudaDnnContext } from './cuda-dnn-context.js';
import { channelView } from './cuda-dnn-geometry.js';

// Batch norm over x viewed as (N, C, S). Train mode takes the batch statistics in one block per channel (mean, then
// the biased variance, in double), blends the running stats with the unbiased variance and normalises in place-safe
// fashion (out may be x). Test mode normalises elementwise with the running stats.

export function batchNormOps({ addon }: CudaDnnContext): Pick<Required<TensorOps>, 'batchNormNd' | 'batchNormNdBackward'> {
  return {
    batchNormNd(a) {
      const [n, c, s] = channelView(a.x);
      const train = a.train;
      addon.batchNormForward(
        dtypeOf(a.x),
        addressOf(a.x),
        addressOf(a.out),
        addressOf(a.scale),
        addressOf(a.bias),
        addressOf(a.mean),
        addressOf(a.var),
        n,
        c,
        s,
        a.epsilon,
        train ? 1 : 0,
        train ? train.factor : 0,
        train ? addressOf(train.savemean) : 0,
        train ? addressOf(train.saveinvvar) : 0,
      );
    },
    batchNormNdBackward(a) {
      const [n, c, s] = channelView(a.x);
      addon.batchNormBackward(
        dtypeOf(a.x),
        addressOf(a.x),
        addressOf(a.grad),
        addressOf(a.scale),
        addressOf(a.savemean),
        addressOf(a.saveinvvar),
        addressOf(a.ingrad),
        addressOf(a.scalegrad),
        addressOf(a.biasgrad),
        n,
        c,
        s,
      );
    },
  };
}
