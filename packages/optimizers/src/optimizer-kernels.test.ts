import { gpuarray, HostArray, Rng, type DType } from '@puzzle/backend';
import { Variable } from '@puzzle/modules';
import { describeEngines, expectClose, expectNonTrivial, tolFor } from '@puzzle/testing';
import { it } from 'vitest';
import { CASES } from './test-support/catalog.js';
import { Holder } from './test-support/chain.js';
import { initialState, referenceStep, type Hyper, type OptimizerKind, type RefState } from './test-support/reference-rules.js';

const shape = [11, 13];
const n = 143;

/** Uploads float64 values as `dtype` and returns the device array with the values it really holds. */
function upload(values: Float64Array, dtype: DType) {
  const dev = gpuarray.toGpu(HostArray.from(values, { shape, dtype }));
  return { dev, held: Float64Array.from(dev.get().toFloat32()) };
}

/** The optimizer's hyper-parameters as a variable with learnRate = momRate = 0.5 sees them (AdaDelta has no rate). */
function halved(kind: OptimizerKind, h: Hyper): Hyper {
  const scaled = { ...h };
  // Adam's step size is α-based; RMSPropGraves' alpha is a decay rate and stays.
  for (const key of ['learnRate', kind === 'Adam' ? 'alpha' : '', 'momRate']) if (key in scaled) scaled[key] = scaled[key]! * 0.5;
  return scaled;
}

describeEngines('optimizer kernels', () => {
  for (const dtype of ['float32', 'float16'] as const) {
    CASES.forEach((c, k) => {
      it(`${c.kind} (${dtype}): one update matches the float64 formula on random state`, () => {
        const rng = new Rng(100 + k);
        const param = upload(Float64Array.from({ length: n }, () => rng.normal()), dtype);
        const grad = upload(Float64Array.from({ length: n }, () => rng.normal()), dtype);
        const opt = c.make(c.calc);
        const holder = new Holder({ W: new Variable(param.dev, { grad: grad.dev }) });
        opt.setupOn(holder);
        const stateDict = opt.stateDict();
        const state: RefState = {};
        for (const [name, values] of Object.entries(c.randomState(n, rng))) {
          const dev = stateDict[`W.${name}`]!;
          dev.set(HostArray.from(values, { shape, dtype: dev.dtype }));
          state[name] = Float64Array.from(dev.get().toFloat32());
        }
        opt.update();
        const expected = param.held.slice();
        referenceStep(c.kind, c.calc, expected, grad.held, state, 1);
        const moved = expected.map((p, i) => p - param.held[i]!);
        expectNonTrivial(moved, `${c.kind} step`);
        expectClose(holder.getVar('W').data.get().toFloat32(), expected, tolFor(dtype), `${c.kind} param`);
        for (const [name, values] of Object.entries(state)) {
          const dev = stateDict[`W.${name}`]!;
          expectClose(dev.get().toFloat32(), values, tolFor(dev.dtype), `${c.kind} state ${name}`);
        }
        opt.dispose();
        holder.dispose();
      });
    });
  }

  for (const c of CASES) {
    it(`${c.kind}: a variable's learnRate and momRate multiply the optimizer's`, () => {
      const rng = new Rng(7);
      const param = upload(Float64Array.from({ length: n }, () => rng.normal()), 'float32');
      const grad = upload(Float64Array.from({ length: n }, () => rng.normal()), 'float32');
      const v = new Variable(param.dev, { grad: grad.dev });
      v.learnRate = 0.5;
      v.momRate = 0.5;
      const holder = new Holder({ W: v });
      const opt = c.make(c.calc);
      opt.setupOn(holder);
      opt.update();
      opt.update();
      const expected = param.held.slice();
      const state = initialState(c.kind, n);
      for (const t of [1, 2]) referenceStep(c.kind, halved(c.kind, c.calc), expected, grad.held, state, t);
      expectClose(v.data.get().toFloat32(), expected, tolFor('float32'), `${c.kind} param`);
      opt.dispose();
      holder.dispose();
    });
  }
});
