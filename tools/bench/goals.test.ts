import { describe, expect, it } from 'vitest';
import { adamCopyFraction, checkGoal, mlpFloorMs } from './goals.js';
import { fixtureCase } from './report-fixtures.js';
import { mlpStepFlops } from './work-counts.js';

const ceilings = { copyBytesPerSec: 3.0e12, gemmFlopsPerSec: 50e12 };

describe('issue 7 goals', () => {
  it('holds cases (a) and (c) to fixed times', () => {
    expect(checkGoal(fixtureCase('a', { puzzle: 0.09 }), ceilings)).toMatchObject({ met: true });
    expect(checkGoal(fixtureCase('c', { puzzle: 0.5 }), ceilings)).toMatchObject({ met: false, goal: '<= 0.400 ms' });
  });

  it('holds case (b) to 5% over the flops of its products at the measured gemm rate', () => {
    const result = fixtureCase('b', { puzzle: 1 });
    const floor = (mlpStepFlops(4096, [1024, 1024, 512, 16], { inputGrad: false }) / 50e12) * 1e3;
    expect(mlpFloorMs(result, ceilings)).toBeCloseTo(floor);
    expect(checkGoal(fixtureCase('b', { puzzle: floor * 1.04 }), ceilings)?.met).toBe(true);
    expect(checkGoal(fixtureCase('b', { puzzle: floor * 1.06 }), ceilings)?.met).toBe(false);
  });

  it('holds the TF32 variant of (b) to 0.25 ms, and judges no fp32 floor for the tensor-core variants', () => {
    expect(checkGoal(fixtureCase('b-tf32', { puzzle: 0.24 }), ceilings)).toMatchObject({ goal: '<= 0.250 ms', met: true });
    expect(checkGoal(fixtureCase('b-tf32', { puzzle: 0.26 }), ceilings)?.met).toBe(false);
    expect(checkGoal(fixtureCase('b-bf16', { puzzle: 0.1 }), ceilings)).toBeNull();
  });

  it('holds case (d) to 90% of the copy bandwidth', () => {
    // 2.8 GB in 1 ms is 2.8 TB/s, 93% of 3.0 TB/s.
    expect(adamCopyFraction(1, 1e8, ceilings)).toBeCloseTo(2.8 / 3.0);
    expect(checkGoal(fixtureCase('d', { puzzle: 1 }), ceilings)).toMatchObject({ met: true, achieved: '93%' });
  });

  it('cannot judge without the numbers a goal needs', () => {
    const none = { copyBytesPerSec: null, gemmFlopsPerSec: null };
    expect(checkGoal(fixtureCase('b', { puzzle: 1 }), none)?.met).toBeNull();
    expect(checkGoal(fixtureCase('d', { puzzle: 1 }), none)?.met).toBeNull();
    expect(checkGoal(fixtureCase('a', { 'torch-adam': 1 }), ceilings)?.met).toBeNull();
  });
});
