import type { TensorOps } from '../../engine/tensor-ops.js';
import { CODES } from './cuda-addon.js';
import { addressOf } from './cuda-buffer.js';
import { dtypeOf, type CudaDnnContext } from './cuda-dnn-context.js';
import { padShape, upsampleShape } from './cuda-dnn-geometry.js';

// Reflect padding and integer upsampling of trailing axes. Both adjoints are gathers over the cells that copied
// (or interpolated from) each input cell, so they need no atomics. The shapes always describe the small side.

type ResampleOps = Pick<Required<TensorOps>, 'reflectPad' | 'reflectPadBackward' | 'upsample' | 'upsampleBackward'>;

export function resampleOps({ addon }: CudaDnnContext): ResampleOps {
  return {
    reflectPad(x, out, pads) {
      addon.reflectPad(dtypeOf(x), addressOf(x), addressOf(out), padShape('cuda.reflectPad', x.shape, pads));
    },
    reflectPadBackward(grad, out, pads) {
      addon.reflectPadBackward(dtypeOf(grad), addressOf(grad), addressOf(out), padShape('cuda.reflectPadBackward', out.shape, pads));
    },
    upsample({ x, out, scales, mode }) {
      const shape = upsampleShape('cuda.upsample', x.shape, scales);
      addon.upsample(CODES.upsample[mode], dtypeOf(x), addressOf(x), addressOf(out), shape);
    },
    // x is the gradient of the upsampled output here, out the input gradient (the small side).
    upsampleBackward({ x, out, scales, mode }) {
      const shape = upsampleShape('cuda.upsampleBackward', out.shape, scales);
      addon.upsampleBackward(CODES.upsample[mode], dtypeOf(x), addressOf(x), addressOf(out), shape);
    },
  };
}
