import { countOps, gpuarray, HostArray } from '@puzzle/backend';
import { Sequential } from '@puzzle/containers';
import { MSE } from '@puzzle/cost';
import { describeEngines } from '@puzzle/testing';
import { afterEach, expect, it } from 'vitest';
import { Activation } from './activation.js';
import { AnomalyError, noteTrainingStep, setDetectAnomaly } from './anomaly.js';
import { Linear } from './linear.js';
import { MulAddConst } from './mul-add-const.js';

/** Linear '0' → tanh '1' → Linear '2' → tanh '3' → Linear '4'. */
const mlp = () => new Sequential().append(new Linear(4, 6)).append(new Activation('tanh')).append(new Linear(6, 6)).append(new Activation('tanh')).append(new Linear(6, 2));
const input = (values?: number[]) => gpuarray.toGpu(values ? HostArray.from(values, { shape: [2, 4] }) : HostArray.randn([2, 4], { seed: 1 }));

function thrown(fn: () => unknown): AnomalyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AnomalyError);
    return e as AnomalyError;
  }
  return expect.fail('expected an AnomalyError');
}

describeEngines('Anomaly detection (setDetectAnomaly)', () => {
  afterEach(() => setDetectAnomaly(false));

  it('names the module where a NaN enters: a NaN weight in Linear 2 stops its forward (it spread silently before)', () => {
    const net = mlp();
    const W = (net.getByIndex(2) as Linear).W;
    const values = W.get();
    values.data[7] = Number.NaN;
    W.set(values);
    const x = input();
    setDetectAnomaly(true);
    const e = thrown(() => net.call(x));
    expect(e.message).toBe(
      "Linear '2': forward at step 1: 2 non-finite values (NaN or ±Inf) in its output; its parameters hold 1 non-finite value (an earlier update made them so)",
    );
    expect([e.moduleName, e.direction, e.step, e.count]).toEqual(["Linear '2'", 'forward', 1, 2]);
    for (const d of [net, x]) d.dispose();
  });

  it('a NaN in the data is named at the first module, as coming with its input; steps count optimizer updates', () => {
    const net = mlp();
    const x = input([1, 2, 3, Number.NaN, 5, 6, 7, 8]);
    setDetectAnomaly(true);
    noteTrainingStep();
    noteTrainingStep();
    const e = thrown(() => net.call(x));
    expect(e.message).toMatch(
      /^Linear '0': forward at step 3: 6 non-finite values \(NaN or ±Inf\) in its output; its input already held 1 non-finite value, so they come from before it/,
    );
    for (const d of [net, x]) d.dispose();
  });

  it('a value that overflows inside a module is said to arise there', () => {
    const scale = new MulAddConst(1e30);
    const x = gpuarray.toGpu(HostArray.from([1e10, 1, -1e10, 0]));
    setDetectAnomaly(true);
    expect(() => scale.call(x)).toThrow(/^MulAddConst: forward at step 1: 2 non-finite values \(NaN or ±Inf\) in its output; its input and its parameters are finite, so they arise in this module$/);
    for (const d of [scale, x]) d.dispose();
  });

  it('backward: an infinite cost gradient is caught at the last module, as received', () => {
    const net = mlp();
    const x = input();
    setDetectAnomaly(true);
    net.call(x);
    const grad = gpuarray.toGpu(HostArray.from([Number.POSITIVE_INFINITY, 0, 0, 0], { shape: [2, 2] }));
    const e = thrown(() => net.backward(grad));
    expect(e.direction).toBe('backward');
    expect(e.message).toMatch(/^Linear '4': backward at step 1: \d+ non-finite values \(NaN or ±Inf\) in the gradients it computed; the gradient it received already held 1 non-finite value/);
    for (const d of [net, x, grad]) d.dispose();
  });

  it('is off by default and free when off: a training step makes no count and no extra host wait', () => {
    const net = mlp();
    const x = input();
    const y = gpuarray.zeros([2, 2]);
    const cost = new MSE();
    const step = () => {
      net.backward(cost.call(net.call(x), y, { queryError: false }));
    };
    step(); // The first call sets the cost's error slots up.
    const off = countOps(step).counts;
    expect(off.calls['countNonFinite']).toBeUndefined();
    setDetectAnomaly(true);
    const on = countOps(step).counts;
    expect(on.calls['countNonFinite']).toBeGreaterThan(0);
    expect(on.syncs).toBeGreaterThan(off.syncs);
    setDetectAnomaly(false);
    expect(countOps(step).counts).toEqual(off);
    for (const d of [net, x, y, cost]) d.dispose();
  });
});
