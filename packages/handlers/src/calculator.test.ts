import { gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import { Linear, Replicate } from '@puzzle/modules';
import { describeEngines, expectClose, expectNoLeak, liveBuffers, matmul64, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { Calculator } from './calculator.js';

const [N, IN, OUT] = [9, 5, 2];

function linearReference(lin: Linear, x: HostArray): Float64Array {
  const b = lin.b!.get().data;
  return matmul64(Float64Array.from(x.data), Float64Array.from(lin.W.get().data), N, IN, OUT).map((v, i) => v + b[i % OUT]!);
}

describeEngines('Calculator', () => {
  it('gathers the outputs of every batch in order, on the device and from the host', () => {
    const lin = new Linear(IN, OUT);
    lin.b!.set(HostArray.randn([OUT], { seed: 4 }));
    const x = HostArray.randn([N, IN], { seed: 5 });
    const ref = linearReference(lin, x);
    const dx = gpuarray.toGpu(x);
    const calc = new Calculator(lin, { batchsize: 4 });
    const before = liveBuffers();
    const out = calc.calc(dx) as GPUArray;
    expect(liveBuffers()).toBe(before + 1);
    expect(out.shape).toEqual([N, OUT]);
    expectClose(out.get().data, ref, TOLERANCES.float32, 'device outputs');
    out.dispose();
    // The last macro-batch (9 = 4 + 4 + 1) is short.
    const host = expectNoLeak(() => calc.calcFromHost(x, { macroBatchSize: 4 })) as HostArray;
    expect(host.shape).toEqual([N, OUT]);
    expectClose(host.data, ref, TOLERANCES.float32, 'host outputs');
    expect(lin.train).toBe(false);
    dx.dispose();
    lin.dispose();
  });

  it('keeps the structure of nested outputs', () => {
    const rep = new Replicate(2);
    const x = HostArray.randn([N, IN], { seed: 6 });
    const out = new Calculator(rep, { batchsize: 2 }).calcFromHost(x, { macroBatchSize: 5 }) as HostArray[];
    expect(out).toHaveLength(2);
    for (const o of out) expect(o.data).toEqual(x.data);
  });
});
