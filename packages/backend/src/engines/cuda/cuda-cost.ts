import type { CostKernel, CostOps, ErrorSink } from '../../engine/cost-ops.js';
import { CODES, type CudaAddon } from './cuda-addon.js';
import { addressOf, countOf } from './cuda-buffer.js';
import { requireArray, requireExtents } from './cuda-cost-checks.js';
import { countMetric, labelRange } from './cuda-cost-metrics.js';
import { nativeFailure } from './cuda-errors.js';

// The fused cost kernels of the cuda engine (native/cost_entries.cc). Each is one kernel launch that writes the grad(s)
// and a partial error sum per block; the last block to finish adds the partials into the sink's slots. Nothing waits
// for the device.

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
    cost: (kernel, sink) => reporting(`cost(${kernel.kind})`, (op) => runCost(addon, op, kernel, sinkArgs(op, sink))),
    count: (metric) => reporting(`count(${metric.kind})`, (op) => countMetric(addon, op, metric)),
    labelRange: (labels) => reporting('labelRange', (op) => labelRange(addon, op, labels)),
  };
}

/** The two trailing arguments of every cost entry: the slots' address and the scale. */
type SinkArgs = [slots: number, scale: number];

function sinkArgs(op: string, sink: ErrorSink): SinkArgs {
  requireArray(op, 'error slots', sink.slots, 'float32', 2);
  return [addressOf(sink.slots), sink.scale];
}

function runCost(addon: CudaAddon, op: string, k: CostKernel, sink: SinkArgs): void {
  switch (k.kind) {
    case 'mse':
    case 'abs':
    case 'smoothL1':
      return distance(addon, op, k, sink);
    case 'bce':
    case 'hinge':
      return labelled(addon, op, k, sink);
    case 'l1Hinge':
      return l1Hinge(addon, op, k, sink);
    case 'crossEntropy':
      return crossEntropy(addon, op, k, sink);
    case 'svm':
      return svm(addon, op, k, sink);
    case 'klDivergence':
      return klDivergence(addon, op, k, sink);
  }
}

function distance(addon: CudaAddon, op: string, k: Kernel<'mse'> | Kernel<'abs'> | Kernel<'smoothL1'>, sink: SinkArgs): void {
  const n = countOf(k.pred);
  requireArray(op, 'pred', k.pred, 'float32', n);
  requireArray(op, 'target', k.target, 'float32', n);
  requireArray(op, 'grad', k.grad, 'float32', n);
  addon.costElementwise(CODES.cost[k.kind], addressOf(k.pred), addressOf(k.target), addressOf(k.grad), n, k.gradNorm, ...sink);
}

/** bce and hinge: scores and int32 labels paired by flat index. */
function labelled(addon: CudaAddon, op: string, k: Kernel<'bce'> | Kernel<'hinge'>, sink: SinkArgs): void {
  const n = countOf(k.scores);
  requireArray(op, 'scores', k.scores, 'float32', n);
  requireArray(op, 'labels', k.labels, 'int32', n);
  requireArray(op, 'grad', k.grad, 'float32', n);
  addon.costElementwise(CODES.cost[k.kind], addressOf(k.scores), addressOf(k.labels), addressOf(k.grad), n, k.gradNorm, ...sink);
}

function l1Hinge(addon: CudaAddon, op: string, k: Kernel<'l1Hinge'>, sink: SinkArgs): void {
  const rows = countOf(k.labels);
  requireExtents(op, { cols: k.cols });
  requireArray(op, 'labels', k.labels, 'int32', rows);
  for (const [what, ref] of [['x1', k.x1], ['x2', k.x2], ['g1', k.g1], ['g2', k.g2]] as const) requireArray(op, what, ref, 'float32', rows * k.cols);
  addon.costL1Hinge(addressOf(k.x1), addressOf(k.x2), addressOf(k.labels), addressOf(k.g1), addressOf(k.g2), rows, k.cols, k.gradNorm, ...sink);
}

/** Checks scores and grad (batch, classes, spatial) and labels (batch, spatial). */
function requireClassLayout(op: string, k: Kernel<'crossEntropy'> | Kernel<'svm'>): void {
  const { batch, classes, spatial } = k;
  requireExtents(op, { batch, classes, spatial });
  requireArray(op, 'scores', k.scores, 'float32', batch * classes * spatial);
  requireArray(op, 'labels', k.labels, 'int32', batch * spatial);
  requireArray(op, 'grad', k.grad, 'float32', batch * classes * spatial);
}

function crossEntropy(addon: CudaAddon, op: string, k: Kernel<'crossEntropy'>, sink: SinkArgs): void {
  requireClassLayout(op, k);
  if (k.weights) requireArray(op, 'weights', k.weights, 'float32', k.classes);
  const weights = k.weights ? addressOf(k.weights) : 0;
  addon.costCrossEntropy(addressOf(k.scores), addressOf(k.labels), addressOf(k.grad), k.batch, k.classes, k.spatial, k.gradNorm, weights, ...sink);
}

function svm(addon: CudaAddon, op: string, k: Kernel<'svm'>, sink: SinkArgs): void {
  requireClassLayout(op, k);
  const squared = k.mode === 'l2' ? 1 : 0;
  addon.costSvm(squared, addressOf(k.scores), addressOf(k.labels), addressOf(k.grad), k.batch, k.classes, k.spatial, k.gradNorm, ...sink);
}

function klDivergence(addon: CudaAddon, op: string, k: Kernel<'klDivergence'>, sink: SinkArgs): void {
  const { rows, cols } = k;
  requireExtents(op, { rows, cols });
  for (const [what, ref] of [['pred', k.pred], ['target', k.target], ['grad', k.grad]] as const) requireArray(op, what, ref, 'float32', rows * cols);
  addon.costKlDivergence(addressOf(k.pred), addressOf(k.target), addressOf(k.grad), rows, cols, k.normTarget ? 1 : 0, k.gradNorm, ...sink);
}
