import { OptimizerError } from './optimizer-error.js';

/** Hyper-parameter checks: each names the optimizer and the parameter. */
export function nonNegative(owner: string, name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new OptimizerError(`${owner}: ${name} must be a finite number ≥ 0, got ${value}`);
  return value;
}

/** A decay rate in [0, 1). */
export function decayRate(owner: string, name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value >= 1) throw new OptimizerError(`${owner}: ${name} must lie in [0, 1), got ${value}`);
  return value;
}
