import { describeEngines, expectClose, matmul64, randomData, TOLERANCES, expectNoLeak } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Blas, BackendError, gpuarray } from './index.js';

describeEngines('Blas.mulMatrixOnMatrix', () => {
  const cases = [
    { transpA: false, transpB: false },
    { transpA: true, transpB: false },
    { transpA: false, transpB: true },
  ];
  for (const { transpA, transpB } of cases) {
    it(`matches float64 with transpA=${transpA} transpB=${transpB}, alpha and beta`, () => {
      expectNoLeak(() => {
        const [m, k, n] = [7, 13, 5];
        const a = randomData(transpA ? [k, m] : [m, k], 1);
        const b = randomData(transpB ? [n, k] : [k, n], 2);
        const c = randomData([m, n], 3);
        const A = gpuarray.toGpu(a.host);
        const B = gpuarray.toGpu(b.host);
        const C = gpuarray.toGpu(c.host);
        Blas.mulMatrixOnMatrix(A, B, { out: C, transpA, transpB, alpha: 0.5, beta: -2 });
        const ref = matmul64(a.f64, b.f64, m, k, n, transpA, transpB).map((v, i) => 0.5 * v - 2 * c.f64[i]!);
        expectClose(C.get().data, ref, TOLERANCES.float32);
        for (const x of [A, B, C]) x.dispose();
      });
    });
  }

  it('rejects mismatched inner dimensions with both shapes in the message', () => {
    const A = gpuarray.zeros([3, 4]);
    const B = gpuarray.zeros([5, 2]);
    expect(() => Blas.mulMatrixOnMatrix(A, B)).toThrow(BackendError);
    expect(() => Blas.mulMatrixOnMatrix(A, B)).toThrow(/\(3, 4\).*\(5, 2\)/);
    expect(() => Blas.mulMatrixOnMatrix(A, A, { transpA: true, transpB: true })).toThrow(/both/);
    A.dispose();
    B.dispose();
  });
});
