import { describeEngines, randomData } from '@puzzle/testing';
import { expect, it } from 'vitest';
import * as Blas from './blas.js';
import { getBackend } from './engine/registry.js';
import { toGpu } from './gpuarray/gpuarray.js';
import * as kernels from './kernels.js';
import { countOps } from './op-counter.js';

describeEngines('countOps', () => {
  it('counts each engine call by name and kind, and the host reads among them', () => {
    const a = toGpu(randomData([4, 3], 1).host);
    const b = toGpu(randomData([3, 5], 2).host);
    const { result, counts } = countOps(() => {
      const c = Blas.mulMatrixOnMatrix(a, b);
      kernels.activation('relu', c, { out: c });
      const host = c.get();
      c.dispose();
      return host;
    });
    expect(result.shape).toEqual([4, 5]);
    expect(counts.calls).toEqual({ gemm: 1, 'elementwise(activation)': 1, read: 1 });
    expect(counts.total).toBe(3);
    expect(counts.syncs).toBe(1);
    a.dispose();
    b.dispose();
  });

  it('sees reductions as host waits and restores the engine afterwards, even when the body throws', () => {
    const x = toGpu(randomData([8], 3).host);
    const engineBefore = getBackend();
    const { counts } = countOps(() => Blas.vectorL1Norm(x) + Blas.dot(x, x));
    expect(counts.syncs).toBe(2);
    expect(() =>
      countOps(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(getBackend()).toEqual(engineBefore);
    // Outside countOps nothing is recorded any more: a fresh count starts from zero.
    expect(countOps(() => 0).counts.total).toBe(0);
    x.dispose();
  });

  it('refuses to nest', () => {
    expect(() => countOps(() => countOps(() => 0))).toThrow(/countOps: already counting/);
    expect(countOps(() => 1).result).toBe(1);
  });
});
