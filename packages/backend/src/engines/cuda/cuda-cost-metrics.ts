import type { CostMetric } from '../../engine/cost-ops.js';
import type { ArrayRef } from '../../engine/engine.js';
import type { CudaAddon } from './cuda-addon.js';
import { addressOf, countOf } from './cuda-buffer.js';
import { requireArray } from './cuda-cost-checks.js';

// The counting kernels of the validation metrics and the label range (native/cost_entries.cc): one pass of per-block
// counts summed by the last block to finish, one read of the result.

export function countMetric(addon: CudaAddon, op: string, m: CostMetric): number {
  switch (m.kind) {
    case 'labelMismatch': {
      const n = countOf(m.predicted);
      requireArray(op, 'predicted', m.predicted, 'int32', n);
      requireArray(op, 'labels', m.labels, 'int32', n);
      return addon.countLabelMismatch(addressOf(m.predicted), addressOf(m.labels), n);
    }
    case 'thresholdMismatch': {
      const n = countOf(m.values);
      requireArray(op, 'values', m.values, 'float32', n);
      requireArray(op, 'labels', m.labels, 'int32', n);
      return addon.countThresholdMismatch(addressOf(m.values), addressOf(m.labels), n, m.threshold, m.atMost ? 1 : 0);
    }
  }
}

/** Smallest and largest label; ±Infinity for an empty array. */
export function labelRange(addon: CudaAddon, op: string, labels: ArrayRef): { min: number; max: number } {
  const n = countOf(labels);
  requireArray(op, 'labels', labels, 'int32', n);
  const { min, max } = addon.labelRange(addressOf(labels), n);
  return { min, max };
}
