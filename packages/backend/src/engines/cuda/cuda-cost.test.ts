// What only the cuda cost ops have, checked without a GPU: the op set matches the tfjs engine's, the built addon
// exports every entry they call, every kernel and metric reaches its entry with the right addresses and geometry, and
// inconsistent arrays are refused before any native call (a recording fake addon stands in for the device). The
// numerical conformance tests are the shared CostKernels tests (src/cost-kernels.test.ts).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { skipNote } from '@puzzle/testing';
import type { CostKernel, CostMetric, ErrorSink } from '../../engine/cost-ops.js';
import { BackendError } from '../../errors.js';
import { tfjsFactory } from '../tfjs/tfjs-factory.js';
import { addonPath, loadAddon } from './addon-loader.js';
import { CODES, type CudaAddon } from './cuda-addon.js';
import { cudaCostOps } from './cuda-cost.js';
import { address, recordingAddon as recordFakeAddon, ref, type Call } from './test-support/recording-addon.js';

const ERROR_SUM = 12.5;
const RANGE = { min: -3, max: 9 };

/** A recording addon answering like the real one: counts and costs a number, the label range its two extremes. */
function recordingAddon(failing?: string): { addon: CudaAddon; calls: Call[] } {
  return recordFakeAddon(failing, (name) => (name === 'labelRange' ? { ...RANGE } : ERROR_SUM));
}

/** The error sink every sample kernel writes to, and the two trailing arguments it must become. */
const SINK: ErrorSink = { slots: ref([2]), scale: 0.75 };
const SINK_ARGS = [address(SINK.slots), 0.75];

/** One kernel of every kind, each with the entry and arguments it must reach the addon with. */
function kernelSamples(): { [K in CostKernel['kind']]: { kernel: Extract<CostKernel, { kind: K }>; name: string; args: unknown[] }[] } {
  const [pred, target, grad] = [ref([4, 5]), ref([4, 5]), ref([4, 5])];
  const [scores, labels] = [ref([2, 3, 4]), ref([2, 3, 4], 'int32')];
  const [x1, x2, pairLabels, g1, g2] = [ref([6, 3]), ref([6, 3]), ref([6], 'int32'), ref([6, 3]), ref([6, 3])];
  const [ceScores, ceLabels, ceGrad, weights] = [ref([2, 5, 3]), ref([2, 3], 'int32'), ref([2, 5, 3]), ref([5])];
  return {
    mse: [
      {
        kernel: { kind: 'mse', pred, target, grad, gradNorm: 0.125 },
        name: 'costElementwise',
        args: [CODES.cost.mse, address(pred), address(target), address(grad), 20, 0.125, ...SINK_ARGS],
      },
    ],
    abs: [
      {
        kernel: { kind: 'abs', pred, target, grad, gradNorm: 0.5 },
        name: 'costElementwise',
        args: [CODES.cost.abs, address(pred), address(target), address(grad), 20, 0.5, ...SINK_ARGS],
      },
    ],
    smoothL1: [
      {
        kernel: { kind: 'smoothL1', pred, target, grad, gradNorm: 0.25 },
        name: 'costElementwise',
        args: [CODES.cost.smoothL1, address(pred), address(target), address(grad), 20, 0.25, ...SINK_ARGS],
      },
    ],
    bce: [
      {
        kernel: { kind: 'bce', scores, labels, grad: scores, gradNorm: 2 },
        name: 'costElementwise',
        args: [CODES.cost.bce, address(scores), address(labels), address(scores), 24, 2, ...SINK_ARGS],
      },
    ],
    hinge: [
      {
        kernel: { kind: 'hinge', scores, labels, grad: scores, gradNorm: 1 },
        name: 'costElementwise',
        args: [CODES.cost.hinge, address(scores), address(labels), address(scores), 24, 1, ...SINK_ARGS],
      },
    ],
    l1Hinge: [
      {
        kernel: { kind: 'l1Hinge', x1, x2, labels: pairLabels, g1, g2, cols: 3, gradNorm: 0.125 },
        name: 'costL1Hinge',
        args: [address(x1), address(x2), address(pairLabels), address(g1), address(g2), 6, 3, 0.125, ...SINK_ARGS],
      },
    ],
    crossEntropy: [
      {
        kernel: { kind: 'crossEntropy', scores: ceScores, labels: ceLabels, weights: null, grad: ceGrad, batch: 2, classes: 5, spatial: 3, gradNorm: 1 / 6 },
        name: 'costCrossEntropy',
        args: [address(ceScores), address(ceLabels), address(ceGrad), 2, 5, 3, 1 / 6, 0, ...SINK_ARGS],
      },
      {
        kernel: { kind: 'crossEntropy', scores: ceScores, labels: ceLabels, weights, grad: ceGrad, batch: 2, classes: 5, spatial: 3, gradNorm: 1 },
        name: 'costCrossEntropy',
        args: [address(ceScores), address(ceLabels), address(ceGrad), 2, 5, 3, 1, address(weights), ...SINK_ARGS],
      },
    ],
    svm: [
      {
        kernel: { kind: 'svm', mode: 'l1', scores: ceScores, labels: ceLabels, grad: ceGrad, batch: 2, classes: 5, spatial: 3, gradNorm: 1 },
        name: 'costSvm',
        args: [0, address(ceScores), address(ceLabels), address(ceGrad), 2, 5, 3, 1, ...SINK_ARGS],
      },
      {
        kernel: { kind: 'svm', mode: 'l2', scores: ceScores, labels: ceLabels, grad: ceGrad, batch: 2, classes: 5, spatial: 3, gradNorm: 0.5 },
        name: 'costSvm',
        args: [1, address(ceScores), address(ceLabels), address(ceGrad), 2, 5, 3, 0.5, ...SINK_ARGS],
      },
    ],
    klDivergence: [
      {
        kernel: { kind: 'klDivergence', pred, target, grad, rows: 4, cols: 5, normTarget: true, gradNorm: 0.25 },
        name: 'costKlDivergence',
        args: [address(pred), address(target), address(grad), 4, 5, 1, 0.25, ...SINK_ARGS],
      },
      {
        kernel: { kind: 'klDivergence', pred, target, grad, rows: 4, cols: 5, normTarget: false, gradNorm: 1 },
        name: 'costKlDivergence',
        args: [address(pred), address(target), address(grad), 4, 5, 0, 1, ...SINK_ARGS],
      },
    ],
  };
}

function metricSamples(): { [K in CostMetric['kind']]: { metric: Extract<CostMetric, { kind: K }>; name: string; args: unknown[] }[] } {
  const [predicted, labels, values] = [ref([7], 'int32'), ref([7], 'int32'), ref([7])];
  return {
    labelMismatch: [{ metric: { kind: 'labelMismatch', predicted, labels }, name: 'countLabelMismatch', args: [address(predicted), address(labels), 7] }],
    thresholdMismatch: [
      {
        metric: { kind: 'thresholdMismatch', values, labels, threshold: 0.5, atMost: false },
        name: 'countThresholdMismatch',
        args: [address(values), address(labels), 7, 0.5, 0],
      },
      {
        metric: { kind: 'thresholdMismatch', values, labels, threshold: -1, atMost: true },
        name: 'countThresholdMismatch',
        args: [address(values), address(labels), 7, -1, 1],
      },
    ],
  };
}

const allKernels = () => Object.values(kernelSamples()).flat();
const allMetrics = () => Object.values(metricSamples()).flat();

describe('cuda cost op set', () => {
  it('implements every CostOps member the tfjs engine implements', () => {
    const cuda = Object.keys(cudaCostOps(recordingAddon().addon)).sort();
    const tfjs = Object.keys(tfjsFactory.create().costs ?? {}).sort();
    expect(tfjs.length).toBeGreaterThan(0);
    expect(cuda).toEqual(tfjs);
  });

  it.skipIf(!existsSync(addonPath()))(`finds every native entry it calls in the built addon${skipNote(!existsSync(addonPath()), 'puzzle_cuda.node is not built (npm run build:native, where nvcc is installed)')}`, () => {
    const load = loadAddon();
    if (!load.ok) expect.fail(load.reason);
    const { addon, calls } = recordingAddon();
    const costs = cudaCostOps(addon);
    for (const { kernel } of allKernels()) costs.cost(kernel, SINK);
    for (const { metric } of allMetrics()) costs.count(metric);
    costs.labelRange(ref([3], 'int32'));
    const native = load.addon as unknown as Record<string, unknown>;
    const missing = [...new Set(calls.map((c) => c.name))].filter((name) => typeof native[name] !== 'function');
    expect(missing).toEqual([]);
    expect(load.addon.codes.cost).toEqual(CODES.cost);
  });
});

describe('cuda cost arguments', () => {
  it('routes every kernel kind to its entry with addresses, geometry, flags and error sink, returning nothing', () => {
    for (const { kernel, name, args } of allKernels()) {
      const { addon, calls } = recordingAddon();
      expect(cudaCostOps(addon).cost(kernel, SINK)).toBeUndefined();
      expect(calls).toEqual([{ name, args }]);
    }
  });

  it('routes every metric to its counting entry and returns the count', () => {
    for (const { metric, name, args } of allMetrics()) {
      const { addon, calls } = recordingAddon();
      expect(cudaCostOps(addon).count(metric)).toBe(ERROR_SUM);
      expect(calls).toEqual([{ name, args }]);
    }
  });

  it('reads the label range in one call', () => {
    const { addon, calls } = recordingAddon();
    const labels = ref([2, 4], 'int32');
    expect(cudaCostOps(addon).labelRange(labels)).toEqual(RANGE);
    expect(calls).toEqual([{ name: 'labelRange', args: [address(labels), 8] }]);
  });

  it('addresses an array that starts inside its buffer', () => {
    const { addon, calls } = recordingAddon();
    const base = ref([10]);
    const pred = { ...base, offset: 4, shape: [6], strides: [1] };
    cudaCostOps(addon).cost({ kind: 'abs', pred, target: ref([6]), grad: ref([6]), gradNorm: 1 }, SINK);
    expect(calls[0]!.args[1]).toBe(address(base) + 16);
  });
});

describe('cuda cost checks', () => {
  const refused: [string, () => CostKernel | CostMetric, RegExp][] = [
    ['a target of another size', () => ({ kind: 'abs', pred: ref([4]), target: ref([5]), grad: ref([4]), gradNorm: 1 }), /cuda\.cost\(abs\): target \(5,\) has 5 elements, expected 4/],
    ['float labels', () => ({ kind: 'bce', scores: ref([4]), labels: ref([4]), grad: ref([4]), gradNorm: 1 }), /cuda\.cost\(bce\): labels must be int32, got float32/],
    ['a float16 grad', () => ({ kind: 'hinge', scores: ref([4]), labels: ref([4], 'int32'), grad: ref([4], 'float16'), gradNorm: 1 }), /grad must be float32/],
    [
      'a strided grad',
      () => ({ kind: 'smoothL1', pred: ref([2, 3]), target: ref([2, 3]), grad: { ...ref([3, 2]), shape: [2, 3], strides: [1, 2] }, gradNorm: 1 }),
      /grad must be contiguous/,
    ],
    [
      'pairs that do not match the labels',
      () => ({ kind: 'l1Hinge', x1: ref([5, 3]), x2: ref([5, 3]), labels: ref([6], 'int32'), g1: ref([5, 3]), g2: ref([5, 3]), cols: 3, gradNorm: 1 }),
      /cuda\.cost\(l1Hinge\): x1 \(5, 3\) has 15 elements, expected 18/,
    ],
    [
      'a fractional column count',
      () => ({ kind: 'l1Hinge', x1: ref([6]), x2: ref([6]), labels: ref([4], 'int32'), g1: ref([6]), g2: ref([6]), cols: 1.5, gradNorm: 1 }),
      /cols must be a non-negative integer, got 1\.5/,
    ],
    [
      'labels of another layout',
      () => ({ kind: 'crossEntropy', scores: ref([2, 5, 3]), labels: ref([2, 5], 'int32'), weights: null, grad: ref([2, 5, 3]), batch: 2, classes: 5, spatial: 3, gradNorm: 1 }),
      /cuda\.cost\(crossEntropy\): labels \(2, 5\) has 10 elements, expected 6/,
    ],
    [
      'one weight per class missing',
      () => ({ kind: 'crossEntropy', scores: ref([2, 5]), labels: ref([2], 'int32'), weights: ref([4]), grad: ref([2, 5]), batch: 2, classes: 5, spatial: 1, gradNorm: 1 }),
      /weights \(4,\) has 4 elements, expected 5/,
    ],
    [
      'a negative extent',
      () => ({ kind: 'svm', mode: 'l1', scores: ref([0]), labels: ref([2], 'int32'), grad: ref([0]), batch: 2, classes: -1, spatial: 1, gradNorm: 1 }),
      /cuda\.cost\(svm\): classes must be a non-negative integer/,
    ],
    [
      'rows and cols that do not cover pred',
      () => ({ kind: 'klDivergence', pred: ref([4, 5]), target: ref([4, 5]), grad: ref([4, 5]), rows: 5, cols: 5, normTarget: false, gradNorm: 1 }),
      /cuda\.cost\(klDivergence\): pred \(4, 5\) has 20 elements, expected 25/,
    ],
    ['float predictions', () => ({ kind: 'labelMismatch', predicted: ref([3]), labels: ref([3], 'int32') }), /cuda\.count\(labelMismatch\): predicted must be int32/],
    [
      'labels of another size',
      () => ({ kind: 'thresholdMismatch', values: ref([3]), labels: ref([4], 'int32'), threshold: 0, atMost: false }),
      /cuda\.count\(thresholdMismatch\): labels \(4,\) has 4 elements, expected 3/,
    ],
  ];

  for (const [what, make, message] of refused) {
    it(`refuses ${what} before any native call`, () => {
      const { addon, calls } = recordingAddon();
      const costs = cudaCostOps(addon);
      const request = make();
      const run = () => ('predicted' in request || 'values' in request ? costs.count(request as CostMetric) : costs.cost(request as CostKernel, SINK));
      expect(run).toThrow(BackendError);
      expect(run).toThrow(message);
      expect(calls).toEqual([]);
    });
  }

  it('refuses error slots that are not two float32', () => {
    const { addon, calls } = recordingAddon();
    const kernel: CostKernel = { kind: 'mse', pred: ref([3]), target: ref([3]), grad: ref([3]), gradNorm: 1 };
    expect(() => cudaCostOps(addon).cost(kernel, { slots: ref([3]), scale: 1 })).toThrow(/cuda\.cost\(mse\): error slots \(3,\) has 3 elements, expected 2/);
    expect(() => cudaCostOps(addon).cost(kernel, { slots: ref([2], 'float16'), scale: 1 })).toThrow(/error slots must be float32/);
    expect(calls).toEqual([]);
  });

  it('refuses float labels for the label range', () => {
    const { addon, calls } = recordingAddon();
    expect(() => cudaCostOps(addon).labelRange(ref([3]))).toThrow(/cuda\.labelRange: labels must be int32/);
    expect(calls).toEqual([]);
  });

  it('reports a native failure as a BackendError naming the op', () => {
    const costs = cudaCostOps(recordingAddon('costElementwise').addon);
    const kernel: CostKernel = { kind: 'bce', scores: ref([3]), labels: ref([3], 'int32'), grad: ref([3]), gradNorm: 1 };
    expect(() => costs.cost(kernel, SINK)).toThrow(BackendError);
    expect(() => costs.cost(kernel, SINK)).toThrow(/cuda\.cost\(bce\).*illegal memory access/);
    const failingRange = cudaCostOps(recordingAddon('labelRange').addon);
    expect(() => failingRange.labelRange(ref([3], 'int32'))).toThrow(/cuda\.labelRange: an illegal memory access/);
  });
});
