import { gpuarray, HostArray, Rng } from '@puzzle/backend';
import { Sequential } from '@puzzle/containers';
import { MSE } from '@puzzle/cost';
import { Activation, Linear, type Data } from '@puzzle/modules';
import { NesterovSGD } from '@puzzle/optimizers';
import { describeEngines, expectClose, expectNoLeak, TOLERANCES } from '@puzzle/testing';
import { expect, it } from 'vitest';
import { HandlerError } from './handler-error.js';
import { Trainer } from './trainer.js';

const [N, IN, OUT, BATCH, LR] = [10, 5, 3, 4, 0.5];

/** Plain SGD through the module itself: enough to observe the Trainer's protocol. */
const sgd = (mod: Linear) => ({ zeroGradParams: () => mod.zeroGradParams(), update: () => mod.updateParams(LR) });

function fixture(seed: number) {
  const x = HostArray.randn([N, IN], { seed });
  const t = HostArray.randn([N, OUT], { seed: seed + 1 });
  const lin = new Linear(IN, OUT);
  lin.b!.set(HostArray.randn([OUT], { seed: seed + 2 }));
  return { x, t, lin };
}

/** Float64 SGD over the batches in `order`; returns the weights and the sample-weighted mean MSE error. */
function referenceEpoch(lin: Linear, x: HostArray, t: HostArray, order: number[]) {
  const W = Float64Array.from(lin.W.get().data);
  const b = Float64Array.from(lin.b!.get().data);
  let errSum = 0;
  for (const idx of order) {
    const rows = Array.from({ length: Math.min(BATCH, N - idx * BATCH) }, (_, r) => idx * BATCH + r);
    const S = rows.length * OUT;
    const g = rows.map((r) =>
      Array.from({ length: OUT }, (_, o) => {
        let y = b[o]!;
        for (let i = 0; i < IN; i++) y += x.data[r * IN + i]! * W[i * OUT + o]!;
        return (t.data[r * OUT + o]! - y) / S;
      }),
    );
    errSum += rows.length * g.flat().reduce((s, v) => s + v * v * S * S, 0) / (2 * S);
    for (let i = 0; i < IN; i++) for (let o = 0; o < OUT; o++) W[i * OUT + o]! += LR * rows.reduce((s, r, k) => s + x.data[r * IN + i]! * g[k]![o]!, 0);
    for (let o = 0; o < OUT; o++) b[o]! += LR * g.reduce((s, row) => s + row[o]!, 0);
  }
  return { W, b, meanError: errSum / N };
}

describeEngines('Trainer', () => {
  it('runs one epoch of forward, cost, zeroed grads, backward and update against float64', () => {
    const { x, t, lin } = fixture(1);
    const ref = referenceEpoch(lin, x, t, [0, 1, 2]);
    const [dx, dt] = [gpuarray.toGpu(x), gpuarray.toGpu(t)];
    const cost = new MSE();
    const batches: number[] = [];
    const trainer = new Trainer(lin, cost, sgd(lin), { batchsize: BATCH, onBatchFinish: (h) => batches.push(h.currBatch) });
    trainer.train(dx, dt, { random: false });
    expect(batches).toEqual([1, 2, 3]);
    expect(trainer.totalBatches).toBe(3);
    expectClose(lin.W.get().data, ref.W, TOLERANCES.float32, 'W');
    expectClose(lin.b!.get().data, ref.b, TOLERANCES.float32, 'b');
    expectClose([cost.getMeanError()], [ref.meanError], TOLERANCES.float32, 'mean error');
    expect(lin.data).toBeNull();
    for (const a of [dx, dt, lin, cost]) a.dispose();
  });

  it('drives a container and a real optimizer exactly like the hand-written loop', () => {
    const x = HostArray.randn([N, IN], { seed: 7 });
    const t = HostArray.randn([N, OUT], { seed: 8 });
    const [dx, dt] = [gpuarray.toGpu(x), gpuarray.toGpu(t)];
    const setup = () => {
      const seq = new Sequential().append(new Linear(IN, 6)).append(new Activation('tanh')).append(new Linear(6, OUT));
      [...seq.getVarTable().keys()].forEach((v, i) => v.data.set(HostArray.randn([...v.data.shape], { seed: 20 + i })));
      const opt = new NesterovSGD({ learnRate: 0.1 });
      opt.setupOn(seq, { useGlobalState: true });
      return { seq, opt, cost: new MSE() };
    };
    const byHand = setup();
    for (let epoch = 0; epoch < 2; epoch++) {
      for (let b = 0; b < N; b += BATCH) {
        const [xb, tb] = [dx.slice([b, Math.min(N, b + BATCH)]), dt.slice([b, Math.min(N, b + BATCH)])];
        const grad = byHand.cost.call(byHand.seq.call(xb) as typeof xb, tb, { queryError: false });
        byHand.opt.zeroGradParams();
        byHand.seq.backward(grad, { updGrad: false });
        byHand.opt.update();
        for (const a of [xb, tb]) a.dispose();
      }
    }
    const handled = setup();
    const trainer = new Trainer(handled.seq, handled.cost, handled.opt, { batchsize: BATCH });
    for (let epoch = 0; epoch < 2; epoch++) trainer.train(dx, dt, { random: false });
    const values = (seq: Sequential) => [...seq.getVarTable().keys()].map((v) => Array.from(v.data.get().data));
    expect(values(handled.seq)).toEqual(values(byHand.seq));
    for (const r of [byHand, handled]) for (const d of [r.seq, r.opt, r.cost]) d.dispose();
    for (const d of [dx, dt]) d.dispose();
  });

  it('visits the batches in a seeded random order', () => {
    const { x, t } = fixture(2);
    const orders = [5, 5, 6].map((seed) => {
      const lin = new Linear(IN, OUT);
      const cost = new MSE();
      const seen: number[] = [];
      const spy = { ...sgd(lin), update: () => seen.push(Math.round(lin.inData === null ? -1 : (lin.inData as ReturnType<typeof gpuarray.empty>).get().data[0]! * 1e4)) };
      const [dx, dt] = [gpuarray.toGpu(x), gpuarray.toGpu(t)];
      new Trainer(lin, cost, spy, { batchsize: 2, rng: new Rng(seed) }).train(dx, dt);
      const firstOfBatch = Array.from({ length: 5 }, (_, i) => Math.round(x.data[2 * i * IN]! * 1e4));
      for (const a of [dx, dt, lin, cost]) a.dispose();
      return seen.map((v) => firstOfBatch.indexOf(v));
    });
    expect([...orders[0]!].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(orders[0]).toEqual(orders[1]);
    expect(orders[0]).not.toEqual(orders[2]);
    expect([orders[0], orders[2]]).not.toContainEqual([0, 1, 2, 3, 4]);
  });

  it('trains from host macro-batches exactly as from device data', () => {
    const a = fixture(3);
    const b = fixture(3);
    b.lin.W.set(a.lin.W.get());
    const [dx, dt] = [gpuarray.toGpu(a.x), gpuarray.toGpu(a.t)];
    const [costA, costB] = [new MSE(), new MSE()];
    new Trainer(a.lin, costA, sgd(a.lin), { batchsize: BATCH }).train(dx, dt, { random: false });
    const macros: number[] = [];
    const host = new Trainer(b.lin, costB, sgd(b.lin), { batchsize: BATCH });
    host.trainFromHost(b.x, b.t, { macroBatchSize: 8, random: false, onMacroBatchFinish: (h) => macros.push(h.currMacroBatch) });
    expect(macros).toEqual([1, 2]);
    expect(b.lin.W.get().data).toEqual(a.lin.W.get().data);
    expect(costB.getMeanError()).toBeCloseTo(costA.getMeanError() as number, 6);
    for (const d of [dx, dt, a.lin, b.lin, costA, costB]) d.dispose();
  });

  it('keeps the live-buffer count flat over epochs', () => {
    const { x, t, lin } = fixture(4);
    const cost = new MSE();
    const trainer = new Trainer(lin, cost, sgd(lin), { batchsize: 3, rng: new Rng(1) });
    const [dx, dt] = [gpuarray.toGpu(x), gpuarray.toGpu(t)];
    trainer.train(dx, dt);
    expectNoLeak(() => {
      for (let e = 0; e < 3; e++) trainer.train(dx, dt);
      trainer.trainFromHost(x, t, { macroBatchSize: 4 });
    });
    for (const d of [dx, dt, lin, cost]) d.dispose();
  });

  it('rejects data and targets of different sample counts, and bad batch sizes', () => {
    const { x, lin } = fixture(5);
    const cost = new MSE();
    const dx = gpuarray.toGpu(x);
    const dt = gpuarray.zeros([N - 1, OUT]);
    const W = lin.W.get().data;
    expect(() => new Trainer(lin, cost, sgd(lin)).train(dx, dt)).toThrow(HandlerError);
    expect(() => new Trainer(lin, cost, sgd(lin)).train(dx, dt)).toThrow(/Trainer: data holds 10 samples but target 9/);
    expect(lin.W.get().data).toEqual(W);
    expect(() => new Trainer(lin, cost, sgd(lin), { batchsize: 0 })).toThrow(/batchsize must be a positive integer, got 0/);
    expect(() => new Trainer(lin, cost, sgd(lin)).train([] as Data, dt)).toThrow(HandlerError);
    for (const d of [dx, dt, lin, cost]) d.dispose();
  });

  it('host data given to train, device data to trainFromHost, or a non-module are HandlerErrors (they were "data.map is not a function")', () => {
    const { x, t, lin } = fixture(6);
    const cost = new MSE();
    const trainer = new Trainer(lin, cost, sgd(lin));
    expect(() => trainer.train(x as never, t as never)).toThrow(
      /^Trainer: expects device data \(GPUArrays\), got a HostArray \(10, 5\) float32; pass host data to the \*FromHost method, or upload it with gpuarray\.toGpu$/,
    );
    const [dx, dt] = [gpuarray.toGpu(x), gpuarray.toGpu(t)];
    expect(() => trainer.trainFromHost(dx as never, dt as never)).toThrow(/^Trainer: expects host data \(HostArrays\), got a GPUArray \(10, 5\) float32; pass device data to the method without FromHost$/);
    expect(() => new Trainer({} as never, cost, sgd(lin))).toThrow(/^Trainer: expects a Module to run, got a plain object$/);
    expect(() => new Trainer(lin, cost, undefined as never)).toThrow(/^Trainer: expects an optimizer set up on the module, got undefined$/);
    for (const d of [dx, dt, lin, cost]) d.dispose();
  });
});
