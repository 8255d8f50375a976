import type { ArrayRef } from '../../engine/engine.js';
import type { Float32MatmulPrecision } from '../../engine/matmul-precision.js';
import { CODES, type CudaAddon } from './cuda-addon.js';

/** What every cuda dnn op needs: the addon, and the precision its float32 gemms may use. */
export interface CudaDnnContext {
  readonly addon: CudaAddon;
  /** Asked at every call, so that a change of the process-wide setting applies from the next op on. */
  readonly matmulPrecision: () => Float32MatmulPrecision;
}

/** The addon's dtype code of an array. */
export const dtypeOf = (ref: ArrayRef): number => CODES.dtype[ref.dtype];
