import { CostKernels, type GPUArray } from '@puzzle/backend';

/**
 * The scaled error of one cost kernel, read back at once: for validation, which must leave the cost's own device
 * errors alone. The kernel's grad is dropped.
 */
export function errorOnce(scale: number, run: (into: CostKernels.ErrorTarget) => GPUArray): number {
  const errors = new CostKernels.ErrorAccumulator();
  try {
    run({ errors, scale }).dispose();
    return errors.read().last;
  } finally {
    errors.dispose();
  }
}
