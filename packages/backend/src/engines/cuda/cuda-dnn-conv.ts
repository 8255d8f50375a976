import type { ConvGeometry, ConvPoolOps, DeconvGeometry, GradAccumulation } from '../../engine/conv-pool-ops.js';
import type { ArrayRef } from '../../engine/engine.js';
import { CODES } from './cuda-addon.js';
import { addressOf } from './cuda-buffer.js';
import { dtypeOf, type CudaDnnContext } from './cuda-dnn-context.js';
import { channelView, convShape } from './cuda-dnn-geometry.js';

// Convolutions through the addon's im2col + cuBLAS entries. A transposed convolution is the adjoint of the
// convolution from its output back to its input with the same W: its forward is that convolution's data gradient,
// its data gradient that convolution's forward, and its weight gradient that convolution's with data and grad swapped.

type ConvOps = Pick<Required<ConvPoolOps>, 'convNd' | 'convNdBackwardData' | 'convNdBackwardParams' | 'deconvNd' | 'deconvNdBackwardData' | 'deconvNdBackwardParams'>;

export function convOps({ addon, matmulPrecision }: CudaDnnContext): ConvOps {
  const precisionCode = (): number => CODES.matmulPrecision[matmulPrecision()];

  /** y = conv(x, w) for the convolution from `x` to `y`. */
  function forward(op: string, x: ArrayRef, w: ArrayRef, y: ArrayRef, geom: ConvGeometry): void {
    const shape = convShape(op, x.shape, y.shape, w.shape, geom);
    addon.convForward(dtypeOf(x), addressOf(x), addressOf(w), addressOf(y), shape, precisionCode());
  }

  /** dx = the input gradient of the convolution from `dx` to `dy`. */
  function backwardData(op: string, dy: ArrayRef, w: ArrayRef, dx: ArrayRef, geom: ConvGeometry): void {
    const shape = convShape(op, dx.shape, dy.shape, w.shape, geom);
    addon.convBackwardData(dtypeOf(dy), addressOf(dy), addressOf(w), addressOf(dx), shape, precisionCode());
  }

  /** wgrad = scale·dW + momentum·wgrad for the convolution from `x` to `dy`. */
  function backwardParams(op: string, x: ArrayRef, dy: ArrayRef, wgrad: ArrayRef, geom: ConvGeometry, acc: GradAccumulation): void {
    const shape = convShape(op, x.shape, dy.shape, wgrad.shape, geom);
    addon.convBackwardParams(dtypeOf(x), addressOf(x), addressOf(dy), addressOf(wgrad), shape, acc.scale, acc.momentum, precisionCode());
  }

  function addBias(out: ArrayRef, bias: ArrayRef | null): void {
    if (!bias) return;
    const [n, c, s] = channelView(out);
    addon.addChannelBias(dtypeOf(out), addressOf(out), addressOf(bias), n, c, s);
  }

  /** bgrad = scale·Σ_{N, spatial} grad + momentum·bgrad. */
  function biasGrad(grad: ArrayRef, bgrad: ArrayRef | null, acc: GradAccumulation): void {
    if (!bgrad) return;
    const [n, c, s] = channelView(grad);
    addon.channelSums(dtypeOf(grad), addressOf(grad), addressOf(bgrad), n, c, s, acc.scale, acc.momentum);
  }

  return {
    convNd(x, w, bias, out, geom) {
      forward('cuda.convNd', x, w, out, geom);
      addBias(out, bias);
    },
    convNdBackwardData(grad, w, out, geom) {
      backwardData('cuda.convNdBackwardData', grad, w, out, geom);
    },
    convNdBackwardParams(x, grad, wgrad, bgrad, geom, acc) {
      backwardParams('cuda.convNdBackwardParams', x, grad, wgrad, geom, acc);
      biasGrad(grad, bgrad, acc);
    },
    deconvNd(x, w, bias, out, geom: DeconvGeometry) {
      // postpad needs nothing here: it is part of out's shape, and cells no tap reaches get zero.
      backwardData('cuda.deconvNd', x, w, out, geom);
      addBias(out, bias);
    },
    deconvNdBackwardData(grad, w, out, geom) {
      forward('cuda.deconvNdBackwardData', grad, w, out, geom);
    },
    deconvNdBackwardParams(x, grad, wgrad, bgrad, geom, acc) {
      backwardParams('cuda.deconvNdBackwardParams', grad, x, wgrad, geom, acc);
      biasGrad(grad, bgrad, acc);
    },
  };
}
