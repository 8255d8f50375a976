import { describeValue } from '@puzzle/backend';
import { ModuleError } from './errors.js';

/**
 * Constructor argument checks: each returns the value when it is fit, else throws a ModuleError naming the module,
 * the argument and the value (`Linear: insize must be a positive integer, got -1`), before anything is allocated.
 */
export function positiveInt(owner: string, arg: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1) throw new ModuleError(`${owner}: ${arg} must be a positive integer, got ${describeValue(value)}`);
  return value as number;
}

export function integer(owner: string, arg: string, value: unknown): number {
  if (!Number.isInteger(value)) throw new ModuleError(`${owner}: ${arg} must be an integer, got ${describeValue(value)}`);
  return value as number;
}

export function finiteNumber(owner: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ModuleError(`${owner}: ${arg} must be a finite number, got ${describeValue(value)}`);
  return value;
}

export function positiveNumber(owner: string, arg: string, value: unknown): number {
  if (finiteNumber(owner, arg, value) <= 0) throw new ModuleError(`${owner}: ${arg} must be a positive number, got ${describeValue(value)}`);
  return value as number;
}
