// The process-wide float32 matmul precision: its setter and getter, their validation, and the default read from the
// environment (the resolver is given its environment, so process.env is never touched).
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError, getFloat32MatmulPrecision, setFloat32MatmulPrecision, type Float32MatmulPrecision } from '../index.js';
import { defaultFloat32MatmulPrecision } from './matmul-precision.js';

describe('float32 matmul precision', () => {
  const processPrecision = getFloat32MatmulPrecision();
  afterEach(() => setFloat32MatmulPrecision(processPrecision));

  it('reads back what was set', () => {
    for (const precision of ['medium', 'high', 'highest'] as const) {
      setFloat32MatmulPrecision(precision);
      expect(getFloat32MatmulPrecision()).toBe(precision);
    }
  });

  it('refuses an unknown precision, naming the function and the value, and keeps the current one', () => {
    setFloat32MatmulPrecision('high');
    const set = (value: unknown) => () => setFloat32MatmulPrecision(value as Float32MatmulPrecision);
    expect(set('tf32')).toThrow(BackendError);
    expect(set('tf32')).toThrow(/^setFloat32MatmulPrecision: unknown float32 matmul precision 'tf32'/);
    expect(set(undefined)).toThrow(/^setFloat32MatmulPrecision: unknown float32 matmul precision undefined/);
    expect(getFloat32MatmulPrecision()).toBe('high');
  });

  it('defaults to PUZZLE_FLOAT32_MATMUL_PRECISION, else high for the legacy PUZZLE_CUDA_TF32=1, else highest', () => {
    expect(defaultFloat32MatmulPrecision({})).toBe('highest');
    expect(defaultFloat32MatmulPrecision({ PUZZLE_FLOAT32_MATMUL_PRECISION: 'medium' })).toBe('medium');
    expect(defaultFloat32MatmulPrecision({ PUZZLE_CUDA_TF32: '1' })).toBe('high');
    expect(defaultFloat32MatmulPrecision({ PUZZLE_CUDA_TF32: '0' })).toBe('highest');
    expect(defaultFloat32MatmulPrecision({ PUZZLE_CUDA_TF32: '1', PUZZLE_FLOAT32_MATMUL_PRECISION: 'highest' })).toBe('highest');
    expect(defaultFloat32MatmulPrecision({ PUZZLE_FLOAT32_MATMUL_PRECISION: '' })).toBe('highest');
  });

  it('refuses an unknown precision in the environment, naming the variable and the value', () => {
    expect(() => defaultFloat32MatmulPrecision({ PUZZLE_FLOAT32_MATMUL_PRECISION: 'fast' })).toThrow(BackendError);
    expect(() => defaultFloat32MatmulPrecision({ PUZZLE_FLOAT32_MATMUL_PRECISION: 'High' })).toThrow(
      /^PUZZLE_FLOAT32_MATMUL_PRECISION: unknown float32 matmul precision 'High'/,
    );
  });
});
