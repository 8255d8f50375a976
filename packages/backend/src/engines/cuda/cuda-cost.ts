import type { CostKernel, CostOps } from '../../engine/cost-ops.js';
import { CODES, type CudaAddon } from './cuda-addon.js';
import { addressOf, countOf } from './cuda-buffer.js';
import { requireArray, requireExtents } from './cuda-cost-checks.js';
import { countMetric, labelRange } from './cuda-cost-metrics.js';
import { nativeFailure } from './cuda-errors.js';

// The fused cost kernels of the cuda engine (native/cost_entries.cc). Each is one kernel launch that writes the grad(s)
// and a partial error sum per block, a one-block sum of those, and one read of the total: the call's only sync.

/** Every member of CostOps: a member added to the interface and missing here fails to compile. */
export type CudaCostOps = Required<CostOps>;

type Kernel<K extends CostKernel['kind']> = Extract<CostKernel, { kind: K }>;

/** Runs `body` with its op name (`cuda.<name>`); native failures become a BackendError naming it. */
function reporting<T>(name: string, body: (op: string) => T): T {
  try {
    return body(`cuda.${name}`);
  } catch (err) {
    throw nativeFailure(name, err);
  }
}

export function cudaCostOps(addon: CudaAddon): CudaCostOps {
  return {
    cost: (kernel) => reporting(`cost(${kernel.kind})`, (op) => runCost(addon, op, kernel)),
    count: (metric) => reporting(`count(${metric.kind})`, (op) => countMetric(addon, op, metric)),
    labelRange: (labels) => reporting('labelRange', (op) => labelRange(addon, op, labels)),
  };
}

function runCost(addon: CudaAddon, op: string, k: CostKernel): number {
  switch (k.kind) {
    case 'abs':
    case 'smoothL1':
      return distance(addon, op, k);
    case 'bce':
    case 'hinge':
      return labelled(addon, op, k);
    case 'l1Hinge':
      return l1Hinge(addon, op, k);
    case 'crossEntropy':
      return crossEntropy(addon, op, k);
    case 'svm':
      return svm(addon, op, k);
    case 'klDivergence':
      return klDivergence(addon, op, k);
  }
}

function distance(addon: CudaAddon, op: string, k: Kernel<'abs'> | Kernel<'smoothL1'>): number {
  const n = countOf(k.pred);
  requireArray(op, 'pred', k.pred, 'float32', n);
  requireArray(op, 'target', k.target, 'float32', n);
  requireArray(op, 'grad', k.grad, 'float32', n);
  return addon.costElementwise(CODES.cost[k.kind], addressOf(k.pred), addressOf(k.target), addressOf(k.grad), n, k.gradNorm);
}

/** bce and hinge: scores and int32 labels paired by flat index. */
function labelled(addon: CudaAddon, op: string, k: Kernel<'bce'> | Kernel<'hinge'>): number {
  const n = countOf(k.scores);
  requireArray(op, 'scores', k.scores, 'float32', n);
  requireArray(op, 'labels', k.labels, 'int32', n);
  requireArray(op, 'grad', k.grad, 'float32', n);
  return addon.costElementwise(CODES.cost[k.kind], addressOf(k.scores), addressOf(k.labels), addressOf(k.grad), n, k.gradNorm);
}

function l1Hinge(addon: CudaAddon, op: string, k: Kernel<'l1Hinge'>): number {
  const rows = countOf(k.labels);
  requireExtents(op, { cols: k.cols });
  requireArray(op, 'labels', k.labels, 'int32', rows);
  for (const [what, ref] of [['x1', k.x1], ['x2', k.x2], ['g1', k.g1], ['g2', k.g2]] as const) requireArray(op, what, ref, 'float32', rows * k.cols);
  return addon.costL1Hinge(addressOf(k.x1), addressOf(k.x2), addressOf(k.labels), addressOf(k.g1), addressOf(k.g2), rows, k.cols, k.gradNorm);
}

/** Checks scores and grad (batch, classes, spatial) and labels (batch, spatial). */
function requireClassLayout(op: string, k: Kernel<'crossEntropy'> | Kernel<'svm'>): void {
  const { batch, classes, spatial } = k;
  requireExtents(op, { batch, classes, spatial });
  requireArray(op, 'scores', k.scores, 'float32', batch * classes * spatial);
  requireArray(op, 'labels', k.labels, 'int32', batch * spatial);
  requireArray(op, 'grad', k.grad, 'float32', batch * classes * spatial);
}

function crossEntropy(addon: CudaAddon, op: string, k: Kernel<'crossEntropy'>): number {
  requireClassLayout(op, k);
  if (k.weights) requireArray(op, 'weights', k.weights, 'float32', k.classes);
  const weights = k.weights ? addressOf(k.weights) : 0;
  return addon.costCrossEntropy(addressOf(k.scores), addressOf(k.labels), addressOf(k.grad), k.batch, k.classes, k.spatial, k.gradNorm, weights);
}

function svm(addon: CudaAddon, op: string, k: Kernel<'svm'>): number {
  requireClassLayout(op, k);
  const squared = k.mode === 'l2' ? 1 : 0;
  return addon.costSvm(squared, addressOf(k.scores), addressOf(k.labels), addressOf(k.grad), k.batch, k.classes, k.spatial, k.gradNorm);
}

function klDivergence(addon: CudaAddon, op: string, k: Kernel<'klDivergence'>): number {
  const { rows, cols } = k;
  requireExtents(op, { rows, cols });
  for (const [what, ref] of [['pred', k.pred], ['target', k.target], ['grad', k.grad]] as const) requireArray(op, what, ref, 'float32', rows * cols);
  return addon.costKlDivergence(addressOf(k.pred), addressOf(k.target), addressOf(k.grad), rows, cols, k.normTarget ? 1 : 0, k.gradNorm);
}
