import { BackendError } from '../../errors.js';

/** A failure of a native call as a BackendError naming the engine op; CUDA's message is kept whole. */
export function nativeFailure(op: string, err: unknown): BackendError {
  if (err instanceof BackendError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new BackendError(`cuda.${op}`, message);
}
