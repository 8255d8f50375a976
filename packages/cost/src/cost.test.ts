import { countOps, gpuarray, HostArray } from '@puzzle/backend';
import { describeEngines, expectClose, expectNoLeak, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { CostError } from './cost-error.js';
import { CrossEntropy } from './cross-entropy.js';
import { MSE } from './mse.js';
import { floatData } from './test-support/cost-fixtures.js';

const mseOf = (p: Float64Array, t: Float64Array) => p.reduce((s, x, i) => s + (t[i]! - x) ** 2, 0) / (2 * p.length);

describeEngines('Cost protocol', () => {
  it('getError is the last batch, getMeanError the sample-weighted mean since resetAccumulator', () => {
    const batches = [3, 5].map((n, k) => ({ pred: floatData([n, 4], 10 + k), target: floatData([n, 4], 20 + k) }));
    const mse = new MSE();
    const errors = batches.map(({ pred, target }) => mse.call(pred.dev, target.dev)[0]);
    const refs = batches.map(({ pred, target }) => mseOf(pred.f64, target.f64));
    expectClose(errors, refs, TOLERANCES.float32, 'per-batch errors');
    expect(mse.getError()).toBe(errors[1]);
    expect(mse.batchsize).toBe(5);
    expect(mse.numOfSamples).toBe(8);
    expectClose([mse.getMeanError()], [(3 * refs[0]! + 5 * refs[1]!) / 8], TOLERANCES.float32, 'mean error');
    mse.resetAccumulator();
    expect(mse.numOfSamples).toBe(0);
    mse.call(batches[0]!.pred.dev, batches[0]!.target.dev);
    expectClose([mse.getMeanError()], [refs[0]!], TOLERANCES.float32, 'mean after reset');
    mse.dispose();
    batches.forEach(({ pred, target }) => [pred, target].forEach((d) => d.dev.dispose()));
  });

  it('queryError: false returns the grad alone; validate leaves the accumulators alone', () => {
    const pred = floatData([3, 4], 1);
    const target = floatData([3, 4], 2);
    const mse = new MSE();
    const grad = mse.call(pred.dev, target.dev, { queryError: false });
    expect(grad).toBe(mse.grad);
    const before = mse.getMeanError();
    expectClose([mse.validate(pred.dev, target.dev)], [mseOf(pred.f64, target.f64)], TOLERANCES.float32);
    expect(mse.getMeanError()).toBe(before);
    expect(mse.numOfSamples).toBe(3);
    mse.dispose();
    pred.dev.dispose();
    target.dev.dispose();
  });

  it('keeps its errors on the device: no host wait until getError or getMeanError asks', () => {
    const pred = floatData([6, 5], 7);
    const target = floatData([6, 5], 8);
    const mse = new MSE();
    const steps = countOps(() => {
      for (let i = 0; i < 3; i++) mse.call(pred.dev, target.dev, { queryError: false });
    }).counts;
    expect(steps.syncs).toBe(0);
    // The fill zeroes the device errors when the first batch creates them.
    expect(steps.calls).toEqual({ fill: 1, 'costs.cost(mse)': 3 });
    const reads = countOps(() => [mse.getError(), mse.getError(), mse.getMeanError()]);
    // getError reads once per batch and then answers from its cache; getMeanError reads the running sum.
    expect(reads.counts.syncs).toBe(2);
    const ref = mseOf(pred.f64, target.f64);
    expectClose(reads.result, [ref, ref, ref], TOLERANCES.float32, 'errors read back');
    mse.dispose();
    pred.dev.dispose();
    target.dev.dispose();
  });

  it('verifyData costs one host wait per call for its label check; turned off, a labelled cost waits for nothing', () => {
    const scores = floatData([4, 3], 9);
    const labels = gpuarray.toGpu(HostArray.from(Int32Array.from([0, 2, 1, 2]), { shape: [4], dtype: 'int32' }));
    const ce = new CrossEntropy();
    expect(countOps(() => ce.call(scores.dev, labels, { queryError: false })).counts.syncs).toBe(1);
    ce.verifyData = false;
    expect(countOps(() => ce.call(scores.dev, labels, { queryError: false })).counts.syncs).toBe(0);
    ce.dispose();
    scores.dev.dispose();
    labels.dispose();
  });

  it('owns its grad: repeated calls keep live buffers flat, dispose frees the last one', () => {
    const pred = floatData([8, 8], 3);
    const target = floatData([8, 8], 4);
    expectNoLeak(() => {
      const mse = new MSE();
      for (let i = 0; i < 5; i++) mse.call(pred.dev, target.dev);
      mse.validate(pred.dev, target.dev);
      mse.dispose();
    });
    pred.dev.dispose();
    target.dev.dispose();
  });

  it('a batch mismatch or a list raises CostError naming the shapes and leaves the state unchanged', () => {
    const pred = floatData([3, 4], 5);
    const target = floatData([3, 4], 6);
    const short = gpuarray.zeros([2, 4]);
    const mse = new MSE();
    const [error, grad] = mse.call(pred.dev, target.dev);
    expect(() => mse.call(pred.dev, short)).toThrow(CostError);
    expect(() => mse.validate(pred.dev, short)).toThrow(/MSE: batch sizes differ: \(3, 4\) vs \(2, 4\)/);
    expect(() => mse.call([pred.dev, pred.dev], target.dev)).toThrow(/MSE: expects a single prediction array, got a list of 2/);
    expect([mse.getError(), mse.grad, mse.numOfSamples]).toEqual([error, grad, 3]);
    mse.dispose();
    [pred.dev, target.dev, short].forEach((a) => a.dispose());
  });

  it('a HostArray as prediction or target is named, with the upload hint (a host target read "differ in shape")', () => {
    const mse = new MSE();
    const pred = gpuarray.zeros([3, 2]);
    expect(() => mse.call(pred, HostArray.randn([3, 2]) as never)).toThrow(
      /^MSE: target must be a GPUArray \(or a list of them\), got a HostArray \(3, 2\) float32 \(upload host data with gpuarray\.toGpu\(host\)\)$/,
    );
    expect(() => mse.call(HostArray.randn([3, 2]) as never, pred)).toThrow(/^MSE: pred must be a GPUArray \(or a list of them\), got a HostArray/);
    expect(() => mse.validate(pred, undefined as never)).toThrow(/^MSE: target must be a GPUArray \(or a list of them\), got undefined$/);
    for (const d of [mse, pred]) d.dispose();
  });
});
