import { describe, expect, it } from 'vitest';
import { adamUpdateBytes, copyBytes, gemmFlops, mlpStepFlops, perSecond } from './work-counts.js';

describe('work counts', () => {
  it('counts a gemm as 2mnk flops', () => {
    expect(gemmFlops(8192, 8192, 8192)).toBe(2 * 8192 ** 3);
  });

  it('counts three products per layer, two for the first when the input needs no gradient', () => {
    const sizes = [1024, 1024, 512, 16];
    const perPass = 2 * 4096 * (1024 * 1024 + 1024 * 512 + 512 * 16);
    expect(mlpStepFlops(4096, sizes, { inputGrad: true })).toBe(3 * perPass);
    expect(mlpStepFlops(4096, sizes, { inputGrad: false })).toBe(3 * perPass - 2 * 4096 * 1024 * 1024);
    expect(() => mlpStepFlops(1, [3], { inputGrad: false })).toThrow(RangeError);
  });

  it('reproduces the issue\'s fused-Adam figure: 100M parameters in 1.07 ms is 2.6 TB/s', () => {
    expect(adamUpdateBytes(1e8)).toBe(2.8e9);
    expect(perSecond(adamUpdateBytes(1e8), 1.07) / 1e12).toBeCloseTo(2.62, 2);
    expect(copyBytes(10)).toBe(80);
  });
});
