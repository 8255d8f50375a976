import type { ArrayRef } from '../../engine/engine.js';
import { CODES, type CudaAddon } from './cuda-addon.js';

/** What every cuda dnn op needs: the addon, and whether float32 gemms may use TF32 tensor cores. */
export interface CudaDnnContext {
  readonly addon: CudaAddon;
  readonly tf32: boolean;
}

/** The addon's dtype code of an array. */
export const dtypeOf = (ref: ArrayRef): number => CODES.dtype[ref.dtype];
