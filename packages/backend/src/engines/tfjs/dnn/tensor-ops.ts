import type { TensorOps } from '../../../engine/tensor-ops.js';
import type { Tf } from '../tfjs-loader.js';
import { axesOps } from './axes-ops.js';
import { embedOps } from './embed-ops.js';
import { batchNormOps } from './norm-batch.js';
import { reflectPadOps } from './pad-reflect.js';
import { preluOps } from './prelu-ops.js';
import { softmaxOps } from './softmax-ops.js';
import { upsampleOps } from './upsample-ops.js';

export function tensorOps(tf: Tf): TensorOps {
  return {
    ...softmaxOps(tf),
    ...batchNormOps(tf),
    ...reflectPadOps(tf),
    ...upsampleOps(tf),
    ...axesOps(tf),
    ...preluOps(tf),
    ...embedOps(tf),
  };
}
