import type { ArrayRef } from '../../engine/engine.js';
import type { TensorOps } from '../../engine/tensor-ops.js';
import { addressOf, countOf } from './cuda-buffer.js';
import { dtypeOf, type CudaDnnContext } from './cuda-dnn-context.js';
import { channelView } from './cuda-dnn-geometry.js';

// Parametric ReLU over x viewed as (N, C, S): one slope per channel, or a single slope shared by all of them.

/** 1 when a single slope serves every channel. */
const sharedFlag = (slopes: ArrayRef): number => (countOf(slopes) === 1 ? 1 : 0);

export function preluOps({ addon }: CudaDnnContext): Pick<Required<TensorOps>, 'prelu' | 'preluBackwardData' | 'preluBackwardParams'> {
  return {
    prelu(x, slopes, out) {
      const [n, c, s] = channelView(x);
      addon.prelu(dtypeOf(x), addressOf(x), addressOf(slopes), addressOf(out), n, c, s, sharedFlag(slopes));
    },
    preluBackwardData(grad, slopes, x, out) {
      const [n, c, s] = channelView(x);
      addon.preluBackwardData(dtypeOf(x), addressOf(grad), addressOf(slopes), addressOf(x), addressOf(out), n, c, s, sharedFlag(slopes));
    },
    preluBackwardParams(x, grad, out, alpha, beta) {
      const [n, c, s] = channelView(x);
      addon.preluBackwardParams(dtypeOf(x), addressOf(x), addressOf(grad), addressOf(out), n, c, s, sharedFlag(out), alpha, beta);
    },
  };
}
