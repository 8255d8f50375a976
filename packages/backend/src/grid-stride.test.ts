// Sizes past the block caps of the cuda kernels, where every thread loops with a grid stride: whole-array
// reductions past 1,024 blocks of 1,024 elements, cost kernels and counts past their 1,024 partials (elements,
// warp-per-row rows, column positions), the label range past its 511 blocks, and an elementwise kernel past 65,536
// blocks of 256 threads. Smaller tests never reach these loops' second pass. Float64 references, on every engine.
import { describeEngines, expectClose, expectNoLeak, randomData, softmax64, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import * as Blas from './blas.js';
import * as CostKernels from './cost-kernels.js';
import type { GPUArray } from './gpuarray/gpu-array.js';
import { toGpu } from './gpuarray/gpuarray.js';
import { HostArray } from './host-array.js';
import * as kernels from './kernels.js';
import { Rng } from './random.js';
import { maximum, minimum, sum } from './reductions.js';

/** A sum of n terms in double on the device, rounded once: a few ulps of the total's magnitude. */
const reduced = (n: number) => ({ rtol: 1e-6, atol: 1e-9 * n });

function float(shape: number[], seed: number): { dev: GPUArray; f64: Float64Array } {
  const d = randomData(shape, seed);
  return { dev: toGpu(d.host), f64: d.f64 };
}

function labels(shape: number[], seed: number, classes: number): { dev: GPUArray; host: Int32Array } {
  const rng = new Rng(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const host = Int32Array.from({ length: n }, () => Math.floor(rng.uniform() * classes));
  return { dev: toGpu(new HostArray(host, shape, 'int32')), host };
}

/** The error a cost kernel left on the device, unscaled. */
function costError(run: (into: CostKernels.ErrorTarget) => GPUArray): { error: number; grad: Float64Array } {
  const errors = new CostKernels.ErrorAccumulator();
  try {
    const grad = run({ errors, scale: 1 });
    const g = Float64Array.from(grad.get().toFloat32());
    grad.dispose();
    return { error: errors.read().last, grad: g };
  } finally {
    errors.dispose();
  }
}

describeEngines('grid-stride loops', () => {
  it('sum, min, max and dot over 2,100,003 values (more than 1,024 blocks of 1,024)', () => {
    expectNoLeak(() => {
      const n = 2_100_003;
      const x = float([n], 1);
      const y = float([n], 2);
      let [s, lo, hi, d] = [0, Infinity, -Infinity, 0];
      for (let i = 0; i < n; i++) {
        const v = x.f64[i]!;
        s += v;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
        d += v * y.f64[i]!;
      }
      expectClose([sum(x.dev)], [s], reduced(n), 'sum');
      expect(minimum(x.dev)).toBe(lo);
      expect(maximum(x.dev)).toBe(hi);
      expectClose([Blas.dot(x.dev, y.dev)], [d], reduced(n), 'dot');
      x.dev.dispose();
      y.dev.dispose();
    });
  });

  it('mse over 1,105,000 values and the label mismatch count (past 1,024 cost partials)', () => {
    expectNoLeak(() => {
      const n = 1_105_000;
      const pred = float([n], 3);
      const target = float([n], 4);
      const { error, grad } = costError((into) => CostKernels.mse(pred.dev, target.dev, 0.5, into));
      let expected = 0;
      const expectedGrad = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const diff = pred.f64[i]! - target.f64[i]!;
        expected += 0.5 * diff * diff;
        expectedGrad[i] = -0.5 * diff;
      }
      // The slot is float32.
      expectClose([error], [expected], { rtol: 1e-6, atol: 0 }, 'error');
      expectClose(grad, expectedGrad, TOLERANCES.float32, 'grad');
      const [a, b] = [labels([n], 5, 4), labels([n], 6, 4)];
      const mismatches = a.host.reduce((c, v, i) => c + (v !== b.host[i] ? 1 : 0), 0);
      expect(CostKernels.labelMismatch(a.dev, b.dev)).toBe(mismatches);
      [pred.dev, target.dev, a.dev, b.dev].forEach((t) => t.dispose());
    });
  });

  it('crossEntropy by rows over 9,000 samples (past 1,024 blocks of 8 warps) and by columns over 300,000 positions', () => {
    expectNoLeak(() => {
      for (const [batch, classes, spatial] of [
        [9000, 5, 1],
        [3, 4, 100_000],
      ] as const) {
        const scores = float(spatial === 1 ? [batch, classes] : [batch, classes, spatial], 7);
        const truth = labels(spatial === 1 ? [batch] : [batch, spatial], 8, classes);
        const { error, grad } = costError((into) => CostKernels.crossEntropy(scores.dev, truth.dev, into, { gradNorm: 1 }));
        let expected = 0;
        const expectedGrad = new Float64Array(batch * classes * spatial);
        const column = new Float64Array(classes);
        for (let n = 0; n < batch; n++) {
          for (let p = 0; p < spatial; p++) {
            for (let c = 0; c < classes; c++) column[c] = scores.f64[(n * classes + c) * spatial + p]!;
            const probs = softmax64(column, 1, classes, 1);
            const label = truth.host[n * spatial + p]!;
            expected -= Math.log(probs[label]!);
            for (let c = 0; c < classes; c++) expectedGrad[(n * classes + c) * spatial + p] = (c === label ? 1 : 0) - probs[c]!;
          }
        }
        expectClose([error], [expected], { rtol: 1e-5, atol: 0 }, `error (${batch}, ${classes}, ${spatial})`);
        expectClose(grad, expectedGrad, TOLERANCES.float32, `grad (${batch}, ${classes}, ${spatial})`);
        scores.dev.dispose();
        truth.dev.dispose();
      }
    });
  });

  it('the label range over 600,000 labels (past 511 blocks of 1,024)', () => {
    expectNoLeak(() => {
      const truth = labels([600_000], 9, 1000);
      let [lo, hi] = [Infinity, -Infinity];
      for (const v of truth.host) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      expect(CostKernels.labelRange(truth.dev)).toEqual({ min: lo, max: hi });
      truth.dev.dispose();
    });
  });

  it('relu over 16,777,549 values (past 65,536 blocks of 256 threads)', () => {
    expectNoLeak(() => {
      const n = 65_536 * 256 + 333;
      const host = new Float32Array(n);
      for (let i = 0; i < n; i++) host[i] = ((i * 2654435761) % 2001) / 1000 - 1;
      const x = toGpu(new HostArray(host, [n], 'float32'));
      const y = kernels.activation('relu', x);
      const out = y.get().toFloat32();
      let wrong = -1;
      for (let i = 0; i < n && wrong < 0; i++) if (out[i] !== Math.max(host[i]!, 0)) wrong = i;
      expect(wrong, 'first element that is not relu(x)').toBe(-1);
      x.dispose();
      y.dispose();
    });
  });
});
