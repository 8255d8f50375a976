// Every fused optimizer rule on every engine, two steps, against the update formulas of spec §1.9 in float64.
// Param dtype float32 and float16; adam's and smorms3's mg/ms/mem are float32 either way.
import { describeEngines, expectClose, expectNoLeak, tolFor } from '@puzzle/testing';
import { it } from 'vitest';
import { gpuarray, HostArray, kernels, Rng, type DType, type GPUArray, type OptimizerRule } from '../../index.js';

const N = 3001;

type Kind = OptimizerRule['kind'];
type Arrays = Record<string, Float64Array>;

interface RuleCase {
  kind: Kind;
  /** Numbers of the rule, as the facade takes them. */
  numbers: Record<string, number>;
  /** Initial state values per field (state fields only). */
  states: (rng: Rng) => Record<string, number[]>;
  /** One update of element i in float64, in place on p and the states. */
  update: (s: Arrays, i: number, g: number) => void;
}

const positive = (rng: Rng) => Array.from({ length: N }, () => 0.1 + rng.uniform());
const normal = (rng: Rng) => Array.from({ length: N }, () => rng.normal());

const CASES: RuleCase[] = [
  { kind: 'sgd', numbers: { lr: 0.1 }, states: () => ({}), update: (s, i, g) => (s.p![i]! += 0.1 * g) },
  {
    kind: 'momentumSGD',
    numbers: { lr: 0.1, momRate: 0.9 },
    states: (rng) => ({ mom: normal(rng) }),
    update: (s, i, g) => {
      s.mom![i] = 0.9 * s.mom![i]! + 0.1 * g;
      s.p![i]! += s.mom![i]!;
    },
  },
  {
    kind: 'nesterovSGD',
    numbers: { lr: 0.1, momRate: 0.9 },
    states: (rng) => ({ mom: normal(rng) }),
    update: (s, i, g) => {
      const old = s.mom![i]!;
      s.p![i]! += 0.81 * old + 1.9 * 0.1 * g;
      s.mom![i] = 0.9 * old + 0.1 * g;
    },
  },
  {
    kind: 'rmsprop',
    numbers: { lr: 0.01, factor: 0.9, epsilon: 1e-5 },
    states: (rng) => ({ ms: positive(rng) }),
    update: (s, i, g) => {
      s.ms![i] = 0.9 * s.ms![i]! + 0.1 * g * g;
      s.p![i]! += (0.01 * g) / (Math.sqrt(s.ms![i]!) + 1e-5);
    },
  },
  {
    kind: 'rmspropGraves',
    numbers: { lr: 0.01, alpha: 0.95, momRate: 0.9, epsilon: 1e-4 },
    states: (rng) => {
      const mg = Array.from({ length: N }, () => 0.1 * rng.normal());
      return { mg, ms: mg.map((m) => m * m + 0.5 + rng.uniform()), delta: normal(rng) };
    },
    update: (s, i, g) => {
      s.mg![i] = 0.95 * s.mg![i]! + 0.05 * g;
      s.ms![i] = 0.95 * s.ms![i]! + 0.05 * g * g;
      s.delta![i] = 0.9 * s.delta![i]! + (0.01 * g) / Math.sqrt(s.ms![i]! - s.mg![i]! ** 2 + 1e-4);
      s.p![i]! += s.delta![i]!;
    },
  },
  {
    kind: 'adagrad',
    numbers: { lr: 0.01, epsilon: 1e-8 },
    states: (rng) => ({ h: positive(rng) }),
    update: (s, i, g) => {
      s.h![i]! += g * g;
      s.p![i]! += (0.01 * g) / (Math.sqrt(s.h![i]!) + 1e-8);
    },
  },
  {
    kind: 'adadelta',
    numbers: { rho: 0.95, epsilon: 1e-6 },
    states: (rng) => ({ msg: positive(rng), msdx: positive(rng) }),
    update: (s, i, g) => {
      s.msg![i]! += 0.05 * (g * g - s.msg![i]!);
      const dx = Math.sqrt((s.msdx![i]! + 1e-6) / (s.msg![i]! + 1e-6)) * g;
      s.msdx![i]! += 0.05 * (dx * dx - s.msdx![i]!);
      s.p![i]! += dx;
    },
  },
  {
    kind: 'adam',
    numbers: { lr: 0.001, fix1: 0.1, fix2: 0.001, epsilon: 1e-8 },
    states: (rng) => ({ mg: normal(rng), ms: positive(rng) }),
    update: (s, i, g) => {
      s.mg![i]! += 0.1 * (g - s.mg![i]!);
      s.ms![i]! += 0.001 * (g * g - s.ms![i]!);
      s.p![i]! += (0.001 * s.mg![i]!) / (Math.sqrt(s.ms![i]!) + 1e-8);
    },
  },
  {
    kind: 'smorms3',
    numbers: { lr: 0.001, epsilon: 1e-16 },
    // A reachable state: running averages keep ms ≥ mg², so x stays in [0, 1] and mem positive.
    states: (rng) => {
      const mg = Array.from({ length: N }, () => 0.3 * rng.normal());
      return { mem: Array.from({ length: N }, () => 1 + rng.uniform()), mg, ms: mg.map((m) => m * m + 0.1 + rng.uniform()) };
    },
    update: (s, i, g) => {
      const r = 1 / (s.mem![i]! + 1);
      s.mg![i] = (1 - r) * s.mg![i]! + r * g;
      s.ms![i] = (1 - r) * s.ms![i]! + r * g * g;
      const x = s.mg![i]! ** 2 / (s.ms![i]! + 1e-16);
      s.mem![i] = 1 + s.mem![i]! * (1 - x);
      s.p![i]! += (g * Math.min(0.001, x)) / (Math.sqrt(s.ms![i]!) + 1e-16);
    },
  },
];

const FP32_STATE = new Set(['mg', 'ms', 'mem']);

function stateDtype(kind: Kind, field: string, paramDtype: DType): DType {
  return (kind === 'adam' || kind === 'smorms3') && FP32_STATE.has(field) ? 'float32' : paramDtype;
}

describeEngines('engine optimizer rules', () => {
  for (const dtype of ['float32', 'float16'] as DType[]) {
    for (const c of CASES) {
      it(`${c.kind} with ${dtype} params: two fused steps`, () => {
        expectNoLeak(() => {
          const rng = new Rng(17);
          const upload = (field: string, vals: number[], d: DType): { dev: GPUArray; f64: Float64Array } => {
            const host = HostArray.from(vals, { dtype: d });
            return { dev: gpuarray.toGpu(host), f64: Float64Array.from(host.toFloat32()) };
          };
          const param = upload('p', normal(rng), dtype);
          const states = Object.entries(c.states(rng)).map(([field, vals]) => ({ field, ...upload(field, vals, stateDtype(c.kind, field, dtype)) }));
          const ref: Arrays = { p: param.f64.slice() };
          for (const s of states) ref[s.field] = s.f64.slice();
          for (let step = 0; step < 2; step++) {
            const grad = upload('g', normal(rng), dtype);
            const arrays = Object.fromEntries(states.map((s) => [s.field, s.dev]));
            kernels.optimizerStep({ kind: c.kind, param: param.dev, grad: grad.dev, ...arrays, ...c.numbers } as kernels.OptimizerStep);
            for (let i = 0; i < N; i++) c.update(ref, i, grad.f64[i]!);
            grad.dev.dispose();
          }
          // float16 state is rounded after each step, float64 references are not: the fp16 tolerance covers it.
          const tol = tolFor(dtype);
          expectClose(Float64Array.from(param.dev.get().toFloat32()), ref.p!, tol, 'param');
          for (const s of states) expectClose(Float64Array.from(s.dev.get().toFloat32()), ref[s.field]!, tolFor(stateDtype(c.kind, s.field, dtype)), s.field);
          param.dev.dispose();
          for (const s of states) s.dev.dispose();
        });
      });
    }
  }
});
