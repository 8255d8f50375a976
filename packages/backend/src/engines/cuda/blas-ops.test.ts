// Gemm, matrix sums, whole-array reductions, addVecToMat and argmax on every engine against float64 references,
// at sizes that span several CUDA blocks, in float32 and float16; and, without a GPU, the float32 matmul precision
// the cuda engine hands its gemm entry (a fake addon records it).
import { describeEngines, expectClose, expectNoLeak, matmul64, tolFor, TOLERANCES, type Tolerance } from '@puzzle/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { ArrayRef } from '../../engine/engine.js';
import {
  addVecToMat,
  argmax,
  Blas,
  getFloat32MatmulPrecision,
  gpuarray,
  HostArray,
  Rng,
  setFloat32MatmulPrecision,
  type DType,
  type GPUArray,
} from '../../index.js';
import { CODES, type CudaAddon } from './cuda-addon.js';
import { CudaBuffer } from './cuda-buffer.js';
import { CudaEngine } from './cuda-engine.js';

const FLOATS: DType[] = ['float32', 'float16'];

/** Normal data stored in `dtype`, with the float64 values the device actually holds (after fp16 rounding). */
function data(shape: number[], seed: number, dtype: DType, scale = 1): { dev: GPUArray; f64: Float64Array } {
  const rng = new Rng(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const host = HostArray.from(
    Array.from({ length: n }, () => scale * rng.normal()),
    { shape, dtype },
  );
  return { dev: gpuarray.toGpu(host), f64: Float64Array.from(host.toFloat32()) };
}

function values(a: GPUArray): Float64Array {
  return Float64Array.from(a.get().toFloat32());
}

/** Sums in fp32 over k terms round more than one op: scale the tolerance with the term count. */
function accumulated(dtype: DType, terms: number): Tolerance {
  if (dtype === 'float16') return { rtol: 2e-2, atol: 2e-2 * Math.sqrt(terms / 16) };
  return { rtol: TOLERANCES.float32Accumulated.rtol, atol: 2e-6 * terms };
}

describeEngines('engine blas and reductions', () => {
  for (const dtype of FLOATS) {
    const cases = [
      { transpA: false, transpB: false },
      { transpA: true, transpB: false },
      { transpA: false, transpB: true },
    ];
    for (const { transpA, transpB } of cases) {
      it(`gemm ${dtype} transpA=${transpA} transpB=${transpB} with alpha and beta`, () => {
        expectNoLeak(() => {
          const [m, k, n] = [67, 129, 33];
          const a = data(transpA ? [k, m] : [m, k], 1, dtype);
          const b = data(transpB ? [n, k] : [k, n], 2, dtype);
          const c = data([m, n], 3, dtype);
          Blas.mulMatrixOnMatrix(a.dev, b.dev, { out: c.dev, transpA, transpB, alpha: 0.5, beta: -2 });
          const ref = matmul64(a.f64, b.f64, m, k, n, transpA, transpB).map((v, i) => 0.5 * v - 2 * c.f64[i]!);
          expectClose(values(c.dev), ref, accumulated(dtype, k));
          // Without out: beta is 0 and the fresh output's contents are ignored.
          const fresh = Blas.mulMatrixOnMatrix(a.dev, b.dev, { transpA, transpB });
          expectClose(values(fresh), matmul64(a.f64, b.f64, m, k, n, transpA, transpB), accumulated(dtype, k));
          for (const x of [a.dev, b.dev, c.dev, fresh]) x.dispose();
        });
      });
    }

    it(`gemm ${dtype} with an empty inner dimension gives beta·out`, () => {
      expectNoLeak(() => {
        const a = gpuarray.zeros([3, 0], dtype);
        const b = gpuarray.zeros([0, 4], dtype);
        const c = data([3, 4], 4, dtype);
        Blas.mulMatrixOnMatrix(a, b, { out: c.dev, beta: 0.5 });
        expectClose(values(c.dev), c.f64.map((v) => 0.5 * v), tolFor(dtype));
        const fresh = Blas.mulMatrixOnMatrix(a, b);
        expect(Array.from(values(fresh))).toEqual(new Array(12).fill(0));
        for (const x of [a, b, c.dev, fresh]) x.dispose();
      });
    });

    for (const [rows, cols] of [
      [37, 70],
      [1000, 3],
      [3, 1000],
    ] as const) {
      it(`sumOnMatrix ${dtype} (${rows}, ${cols}) over both axes with alpha and beta`, () => {
        expectNoLeak(() => {
          const a = data([rows, cols], 5, dtype);
          for (const alongCols of [true, false]) {
            const len = alongCols ? cols : rows;
            const out = data([len], 6, dtype);
            Blas.sumOnMatrix(a.dev, { out: out.dev, cols: alongCols, alpha: 2, beta: -1 });
            const ref = new Float64Array(len);
            for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) ref[alongCols ? j : i]! += a.f64[i * cols + j]!;
            expectClose(values(out.dev), ref.map((s, i) => 2 * s - out.f64[i]!), accumulated(dtype, alongCols ? rows : cols), `cols=${alongCols}`);
            out.dev.dispose();
          }
          a.dev.dispose();
        });
      });
    }

    it(`whole-array reductions of ${dtype} over many blocks`, () => {
      expectNoLeak(() => {
        const n = 300_001;
        const x = data([n], 7, dtype);
        const y = data([n], 8, dtype);
        let sum = 0;
        let l1 = 0;
        let dot = 0;
        for (let i = 0; i < n; i++) {
          sum += x.f64[i]!;
          l1 += Math.abs(x.f64[i]!);
          dot += x.f64[i]! * y.f64[i]!;
        }
        const close = (actual: number, expected: number, scale: number) => expect(Math.abs(actual - expected)).toBeLessThan(1e-5 * scale);
        close(gpuarray.sum(x.dev), sum, l1);
        close(Blas.vectorL1Norm(x.dev), l1, l1);
        close(Blas.dot(x.dev, y.dev), dot, l1);
        close(Blas.l2norm(x.dev), Math.sqrt(x.f64.reduce((s, v) => s + v * v, 0)), Math.sqrt(n));
        expect(gpuarray.minimum(x.dev)).toBe(x.f64.reduce((a, b) => Math.min(a, b)));
        expect(gpuarray.maximum(x.dev)).toBe(x.f64.reduce((a, b) => Math.max(a, b)));
        x.dev.dispose();
        y.dev.dispose();
      });
    });

    it(`addVecToMat ${dtype} on both axes, batched and tiled`, () => {
      expectNoLeak(() => {
        const [batch, n, m] = [3, 33, 64];
        const mat = data([batch, n, m], 9, dtype);
        for (const { axis, len } of [
          { axis: 1 as const, len: m },
          { axis: 1 as const, len: 16 },
          { axis: 0 as const, len: n },
        ]) {
          const vec = data([batch, len], 10, dtype);
          const out = addVecToMat(vec.dev, mat.dev, { axis });
          const ref = mat.f64.map((v, idx) => {
            const j = idx % m;
            const i = Math.floor(idx / m) % n;
            const b = Math.floor(idx / (m * n));
            return v + vec.f64[b * len + (axis === 1 ? j % len : i)]!;
          });
          expectClose(values(out), ref, tolFor(dtype), `axis ${axis}, vec length ${len}`);
          vec.dev.dispose();
          out.dispose();
        }
        mat.dev.dispose();
      });
    });

    it(`argmax ${dtype} along every axis, first index on ties`, () => {
      expectNoLeak(() => {
        const shape = [9, 70, 65];
        // Few distinct values: ties are everywhere, so the tie rule is what is tested.
        const rng = new Rng(11);
        const host = HostArray.from(
          Array.from({ length: 9 * 70 * 65 }, () => Math.floor(rng.uniform() * 4)),
          { shape, dtype },
        );
        const x = gpuarray.toGpu(host);
        const v = host.toFloat32();
        for (let axis = 0; axis < 3; axis++) {
          const outer = shape.slice(0, axis).reduce((p, d) => p * d, 1);
          const len = shape[axis]!;
          const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
          const ref: number[] = [];
          for (let o = 0; o < outer; o++) {
            for (let k = 0; k < inner; k++) {
              let best = 0;
              for (let l = 1; l < len; l++) if (v[(o * len + l) * inner + k]! > v[(o * len + best) * inner + k]!) best = l;
              ref.push(best);
            }
          }
          const out = argmax(x, axis);
          expect(out.dtype).toBe('int32');
          expect(out.get().toArray(), `axis ${axis}`).toEqual(ref);
          out.dispose();
        }
        x.dispose();
      });
    });
  }
});

describe('cuda gemm precision', () => {
  const processPrecision = getFloat32MatmulPrecision();
  afterEach(() => setFloat32MatmulPrecision(processPrecision));

  /** An addon that opens no device and records the precision code (last argument) of every gemm. */
  function gemmRecordingAddon(): { addon: CudaAddon; codes: unknown[] } {
    const codes: unknown[] = [];
    const addon = { init: () => 'fake device', gemm: (...args: unknown[]) => codes.push(args.at(-1)) };
    return { addon: addon as unknown as CudaAddon, codes };
  }

  const matrix: ArrayRef = { buffer: new CudaBuffer(1 << 20, 16), offset: 0, shape: [2, 2], strides: [2, 1], dtype: 'float32' };
  const product = (engine: CudaEngine): void => engine.gemm(matrix, matrix, matrix, { transpA: false, transpB: false, alpha: 1, beta: 0 });

  it('passes the process-wide float32 matmul precision current at each call', () => {
    const { addon, codes } = gemmRecordingAddon();
    const engine = new CudaEngine(addon);
    for (const precision of ['highest', 'high', 'medium'] as const) {
      setFloat32MatmulPrecision(precision);
      product(engine);
    }
    expect(codes).toEqual([CODES.matmulPrecision.highest, CODES.matmulPrecision.high, CODES.matmulPrecision.medium]);
  });

  it('keeps the precision an engine was created with, whatever the process-wide setting', () => {
    const { addon, codes } = gemmRecordingAddon();
    const engine = new CudaEngine(addon, { matmulPrecision: 'high' });
    for (const precision of ['highest', 'medium'] as const) {
      setFloat32MatmulPrecision(precision);
      product(engine);
    }
    expect(codes).toEqual([CODES.matmulPrecision.high, CODES.matmulPrecision.high]);
  });
});
