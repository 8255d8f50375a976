import { gpuarray, HostArray } from '@puzzle/backend';
import { MSE } from '@puzzle/cost';
import { Linear } from '@puzzle/modules';
import { describeEngines, expectClose, expectNoLeak, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { HandlerError } from './handler-error.js';
import { Validator } from './validator.js';

const [N, IN, OUT] = [11, 4, 3];

/** Float64 mean of MSE's validate (Σd²/(2S) per batch) weighted by batch size, i.e. Σd²/(2·N·OUT). */
function referenceError(lin: Linear, x: HostArray, t: HostArray): number {
  const W = lin.W.get().data;
  const b = lin.b!.get().data;
  let sum = 0;
  for (let r = 0; r < N; r++) {
    for (let o = 0; o < OUT; o++) {
      let y = b[o]!;
      for (let i = 0; i < IN; i++) y += x.data[r * IN + i]! * W[i * OUT + o]!;
      sum += (t.data[r * OUT + o]! - y) ** 2;
    }
  }
  return sum / (2 * N * OUT);
}

describeEngines('Validator', () => {
  it('averages the batch validation errors weighted by batch size, in eval mode', () => {
    const lin = new Linear(IN, OUT);
    lin.b!.set(HostArray.randn([OUT], { seed: 3 }));
    const x = HostArray.randn([N, IN], { seed: 1 });
    const t = HostArray.randn([N, OUT], { seed: 2 });
    const [dx, dt] = [gpuarray.toGpu(x), gpuarray.toGpu(t)];
    const cost = new MSE();
    const validator = new Validator(lin, cost, { batchsize: 4 });
    const ref = referenceError(lin, x, t);
    const error = expectNoLeak(() => validator.validate(dx, dt));
    expectClose([error as number], [ref], TOLERANCES.float32, 'validation error');
    expect(validator.error).toBe(error);
    expect(lin.train).toBe(false);
    const fromHost = validator.validateFromHost(x, t, { macroBatchSize: 5 });
    expectClose([fromHost as number], [ref], TOLERANCES.float32, 'validation error from host');
    expect(() => validator.validate(dx, gpuarray.zeros([3, OUT]))).toThrow(HandlerError);
    for (const a of [dx, dt, lin, cost]) a.dispose();
  });
});
