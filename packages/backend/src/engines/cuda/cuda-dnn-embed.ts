import type { TensorOps } from '../../engine/tensor-ops.js';
import { addressOf, countOf } from './cuda-buffer.js';
import { dtypeOf, type CudaDnnContext } from './cuda-dnn-context.js';

// Embedding lookup (index −1 gives a zero row) and the scatter-add of its weight gradient with float32 atomics.

export function embedOps({ addon }: CudaDnnContext): Pick<Required<TensorOps>, 'embed' | 'embedBackwardParams'> {
  return {
    embed(indices, W, out) {
      const [vocab, width] = [W.shape[0]!, W.shape[1]!];
      addon.embed(dtypeOf(W), addressOf(indices), addressOf(W), addressOf(out), countOf(indices), vocab, width);
    },
    embedBackwardParams(indices, grad, wgrad, alpha, beta) {
      const [vocab, width] = [wgrad.shape[0]!, wgrad.shape[1]!];
      addon.embedBackward(dtypeOf(wgrad), addressOf(indices), addressOf(grad), addressOf(wgrad), countOf(indices), vocab, width, alpha, beta);
    },
  };
}
