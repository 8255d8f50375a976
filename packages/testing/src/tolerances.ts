import type { DType, EngineName } from '@puzzle/backend';

export interface Tolerance {
  rtol: number;
  atol: number;
}

/**
 * The one table of tolerances: results of fp32 (or fp16) engines against float64 references computed in the test.
 * `fd` is for analytic gradients against central finite differences of an fp32 forward.
 */
export const TOLERANCES = {
  float32: { rtol: 1e-4, atol: 1e-5 },
  float16: { rtol: 1e-2, atol: 1e-2 },
  /** Long reductions and gemm with k in the hundreds accumulate rounding. */
  float32Accumulated: { rtol: 1e-4, atol: 1e-4 },
  fd: { rtol: 2e-2, atol: 2e-3 },
  /** An exported model in onnxruntime against Puzzle's forward, normwise: max|a − b| ≤ rtol·max|b|. */
  onnxRuntime: { rtol: 1e-4, atol: 0 },
} satisfies Record<string, Tolerance>;

export function tolFor(dtype: DType, _engine?: EngineName): Tolerance {
  return dtype === 'float16' ? TOLERANCES.float16 : TOLERANCES.float32;
}
