import type { DnnEngine } from '../../engine/dnn-engine.js';
import { getFloat32MatmulPrecision, type Float32MatmulPrecision } from '../../engine/matmul-precision.js';
import type { CudaAddon } from './cuda-addon.js';
import type { CudaDnnContext } from './cuda-dnn-context.js';
import { convOps } from './cuda-dnn-conv.js';
import { embedOps } from './cuda-dnn-embed.js';
import { batchNormOps } from './cuda-dnn-norm.js';
import { poolOps } from './cuda-dnn-pool.js';
import { preluOps } from './cuda-dnn-prelu.js';
import { resampleOps } from './cuda-dnn-resample.js';
import { softmaxOps } from './cuda-dnn-softmax.js';
import { transposeOps } from './cuda-dnn-transpose.js';
import { nativeFailure } from './cuda-errors.js';

/** Every member of the Dnn interface: a member added to it and not implemented here fails to compile. */
export type CudaDnnOps = Required<DnnEngine>;

/** Each op with native failures turned into a BackendError naming the op (`cuda.<name>`). */
function reportingFailures(ops: CudaDnnOps): CudaDnnOps {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(ops) as [string, (...args: unknown[]) => void][]) {
    wrapped[name] = (...args: unknown[]): void => {
      try {
        fn(...args);
      } catch (err) {
        throw nativeFailure(name, err);
      }
    };
  }
  return wrapped as unknown as CudaDnnOps;
}

/**
 * The dnn ops of the cuda engine: our own kernels (im2col/col2im, pooling, softmax, batch norm, pads, upsampling,
 * PRelu, embedding) and cuBLAS gemms, all enqueued on the engine's one stream. Building it calls nothing on the device.
 */
export function cudaDnn(addon: CudaAddon, options: { matmulPrecision?: () => Float32MatmulPrecision } = {}): CudaDnnOps {
  const ctx: CudaDnnContext = { addon, matmulPrecision: options.matmulPrecision ?? getFloat32MatmulPrecision };
  return reportingFailures({
    ...convOps(ctx),
    ...poolOps(ctx),
    ...softmaxOps(ctx),
    ...batchNormOps(ctx),
    ...resampleOps(ctx),
    ...transposeOps(ctx),
    ...preluOps(ctx),
    ...embedOps(ctx),
  });
}
