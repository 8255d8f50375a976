import { BackendError } from '../errors.js';

/**
 * How much accuracy float32 matrix products (gemm and the convolutions' gemms) may trade for speed, as in PyTorch's
 * torch.set_float32_matmul_precision: 'highest' computes in fp32, 'high' lets tensor cores round the operands to
 * TF32 (10-bit mantissa), 'medium' to bfloat16 (7-bit mantissa). float16 arrays are unaffected.
 */
export type Float32MatmulPrecision = 'highest' | 'high' | 'medium';

const PRECISIONS: readonly Float32MatmulPrecision[] = ['highest', 'high', 'medium'];

/** `value` as a precision, or a BackendError naming `op` and the value. */
export function checkFloat32MatmulPrecision(op: string, value: unknown): Float32MatmulPrecision {
  if (PRECISIONS.includes(value as Float32MatmulPrecision)) return value as Float32MatmulPrecision;
  const shown = typeof value === 'string' ? `'${value}'` : String(value);
  throw new BackendError(op, `unknown float32 matmul precision ${shown} (expected 'highest', 'high' or 'medium')`);
}

/**
 * The process's initial precision: env PUZZLE_FLOAT32_MATMUL_PRECISION, else 'high' for the legacy opt-in
 * PUZZLE_CUDA_TF32=1 (from when TF32 was the only faster mode), else 'highest'.
 */
export function defaultFloat32MatmulPrecision(env: Readonly<Record<string, string | undefined>> = process.env): Float32MatmulPrecision {
  const requested = env['PUZZLE_FLOAT32_MATMUL_PRECISION'];
  if (requested !== undefined && requested !== '') return checkFloat32MatmulPrecision('PUZZLE_FLOAT32_MATMUL_PRECISION', requested);
  return env['PUZZLE_CUDA_TF32'] === '1' ? 'high' : 'highest';
}

// Read from the environment on first use rather than at import, so a bad value fails the first product, not the import.
let current: Float32MatmulPrecision | null = null;

/**
 * Sets the precision of float32 matrix products for the whole process, from the next op on. Engines created with
 * their own `matmulPrecision` keep theirs; the tfjs engine always computes in fp32 (its CPU backend has no faster mode).
 */
export function setFloat32MatmulPrecision(precision: Float32MatmulPrecision): void {
  current = checkFloat32MatmulPrecision('setFloat32MatmulPrecision', precision);
}

/** The process-wide precision of float32 matrix products (see setFloat32MatmulPrecision). */
export function getFloat32MatmulPrecision(): Float32MatmulPrecision {
  return (current ??= defaultFloat32MatmulPrecision());
}
