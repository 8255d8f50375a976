import { describeEngines, expectClose, expectNoLeak, randomData, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { addVecToMat, argmax, Blas, gpuarray } from './index.js';

describeEngines('Blas and MatVec', () => {
  for (const cols of [true, false]) {
    it(`sumOnMatrix cols=${cols} with alpha and beta`, () => {
      expectNoLeak(() => {
        const a = randomData([6, 4], 1);
        const len = cols ? 4 : 6;
        const o = randomData([len], 2);
        const A = gpuarray.toGpu(a.host);
        const O = gpuarray.toGpu(o.host);
        Blas.sumOnMatrix(A, { out: O, cols, alpha: 2, beta: 0.5 });
        const ref = o.f64.map((v, k) => {
          let s = 0;
          for (let t = 0; t < (cols ? 6 : 4); t++) s += cols ? a.f64[t * 4 + k]! : a.f64[k * 4 + t]!;
          return 2 * s + 0.5 * v;
        });
        expectClose(O.get().data, ref, TOLERANCES.float32);
        A.dispose();
        O.dispose();
      });
    });
  }

  it('addVectorToVector, toVectorAddVector, dot and vectorL1Norm', () => {
    const x = randomData([3, 5], 3);
    const y = randomData([3, 5], 4);
    const X = gpuarray.toGpu(x.host);
    const Y = gpuarray.toGpu(y.host);
    const out = Blas.addVectorToVector(X, Y, { alpha: 0.5, beta: -1 });
    expectClose(out.get().data, x.f64.map((v, i) => 0.5 * v - y.f64[i]!), TOLERANCES.float32);
    expect(Blas.dot(X, Y)).toBeCloseTo(x.f64.reduce((s, v, i) => s + v * y.f64[i]!, 0), 4);
    expect(Blas.vectorL1Norm(X)).toBeCloseTo(x.f64.reduce((s, v) => s + Math.abs(v), 0), 4);
    Blas.toVectorAddVector(Y, X, 3);
    expectClose(Y.get().data, y.f64.map((v, i) => v + 3 * x.f64[i]!), TOLERANCES.float32);
    expect(() => Blas.addVectorToVector(X, gpuarray.zeros([4]))).toThrow(/size mismatch/);
    for (const a of [X, Y, out]) a.dispose();
  });

  it('addVecToMat adds rows (tiled when shorter) and columns, with batch dims', () => {
    const mat = randomData([2, 3, 6], 5);
    const M = gpuarray.toGpu(mat.host);
    const rowVec = randomData([2, 2], 6);
    const R = gpuarray.toGpu(rowVec.host);
    const rows = addVecToMat(R, M, { axis: 1 });
    expectClose(rows.get().data, mat.f64.map((v, i) => v + rowVec.f64[Math.floor(i / 18) * 2 + (i % 6) % 2]!), TOLERANCES.float32);
    const colVec = randomData([2, 3], 7);
    const C = gpuarray.toGpu(colVec.host);
    const colsOut = addVecToMat(C, M, { axis: 0 });
    expectClose(colsOut.get().data, mat.f64.map((v, i) => v + colVec.f64[Math.floor(i / 6)]!), TOLERANCES.float32);
    expect(() => addVecToMat(gpuarray.zeros([2, 4]), M, { axis: 1 })).toThrow(/\(2, 4\).*\(2, 3, 6\)/);
    for (const a of [M, R, rows, C, colsOut]) a.dispose();
  });

  it('argmax returns int32 indices along an axis', () => {
    const t = randomData([3, 5, 2], 8);
    const T = gpuarray.toGpu(t.host);
    const idx = argmax(T, 1);
    expect(idx.dtype).toBe('int32');
    expect(idx.shape).toEqual([3, 2]);
    const ref: number[] = [];
    for (let o = 0; o < 3; o++) {
      for (let i = 0; i < 2; i++) {
        let best = 0;
        for (let k = 1; k < 5; k++) if (t.f64[o * 10 + k * 2 + i]! > t.f64[o * 10 + best * 2 + i]!) best = k;
        ref.push(best);
      }
    }
    expect(Array.from(idx.get().data)).toEqual(ref);
    T.dispose();
    idx.dispose();
  });
});
