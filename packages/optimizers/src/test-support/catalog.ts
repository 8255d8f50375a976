import { Rng } from '@puzzle/backend';
import { AdaDelta } from '../adadelta.js';
import { AdaGrad } from '../adagrad.js';
import { Adam } from '../adam.js';
import { MomentumSGD } from '../momentum-sgd.js';
import { NesterovSGD } from '../nesterov-sgd.js';
import type { Optimizer } from '../optimizer.js';
import { RMSProp } from '../rmsprop.js';
import { RMSPropGraves } from '../rmsprop-graves.js';
import { SGD } from '../sgd.js';
import { SMORMS3 } from '../smorms3.js';
import type { Hyper, OptimizerKind, RefState } from './reference-rules.js';

export interface OptimizerCase {
  kind: OptimizerKind;
  make: (hyper: Hyper) => Optimizer;
  /** Hyper-parameters of PuzzleLib's calcTest for this kernel. */
  calc: Hyper;
  /** Those of PuzzleLib's trainSimpleTest. */
  train: Hyper;
  /** Non-trivial random state of PuzzleLib's calcTest, for n elements. */
  randomState: (n: number, rng: Rng) => RefState;
}

const normal = (n: number, rng: Rng, f: (x: number) => number = (x) => x) => Float64Array.from({ length: n }, () => f(rng.normal()));
const onePlusSquare = (x: number) => 1 + x * x;

export const CASES: OptimizerCase[] = [
  { kind: 'SGD', make: (h) => new SGD(h), calc: { learnRate: 0.01 }, train: { learnRate: 0.1 }, randomState: () => ({}) },
  {
    kind: 'MomentumSGD',
    make: (h) => new MomentumSGD(h),
    calc: { learnRate: 0.01, momRate: 0.9 },
    train: { learnRate: 0.1, momRate: 0.9 },
    randomState: (n, rng) => ({ mom: normal(n, rng) }),
  },
  {
    kind: 'NesterovSGD',
    make: (h) => new NesterovSGD(h),
    calc: { learnRate: 0.01, momRate: 0.9 },
    train: { learnRate: 0.1, momRate: 0.9 },
    randomState: (n, rng) => ({ mom: normal(n, rng) }),
  },
  {
    kind: 'RMSProp',
    make: (h) => new RMSProp(h),
    calc: { learnRate: 0.01, factor: 0.9, epsilon: 1e-5 },
    train: { learnRate: 0.01, factor: 0.9, epsilon: 1e-5 },
    randomState: (n, rng) => ({ ms: normal(n, rng, onePlusSquare) }),
  },
  {
    kind: 'RMSPropGraves',
    make: (h) => new RMSPropGraves(h),
    calc: { learnRate: 0.01, alpha: 0.95, momRate: 0.9, epsilon: 10 },
    train: { learnRate: 0.01, alpha: 0.95, momRate: 0.9, epsilon: 1e-4 },
    randomState: (n, rng) => ({ mg: normal(n, rng), ms: normal(n, rng, (x) => 5 + x * x), delta: normal(n, rng) }),
  },
  {
    kind: 'AdaGrad',
    make: (h) => new AdaGrad(h),
    calc: { learnRate: 0.01, epsilon: 1e-8 },
    train: { learnRate: 0.01, epsilon: 1e-8 },
    randomState: (n, rng) => ({ h: normal(n, rng, onePlusSquare) }),
  },
  {
    kind: 'AdaDelta',
    make: (h) => new AdaDelta(h),
    calc: { rho: 0.95, epsilon: 1e-6 },
    train: { rho: 0.95, epsilon: 1e-6 },
    randomState: (n, rng) => ({ msg: normal(n, rng, onePlusSquare), msdx: normal(n, rng, onePlusSquare) }),
  },
  {
    kind: 'Adam',
    make: (h) => new Adam(h),
    calc: { alpha: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    train: { alpha: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
    randomState: (n, rng) => ({ mg: normal(n, rng), ms: normal(n, rng, onePlusSquare) }),
  },
  {
    kind: 'SMORMS3',
    make: (h) => new SMORMS3(h),
    calc: { learnRate: 1e-3, epsilon: 1e-16 },
    train: { learnRate: 0.01, epsilon: 1e-16 },
    randomState: (n, rng) => ({ mem: normal(n, rng, onePlusSquare), mg: normal(n, rng), ms: normal(n, rng, (x) => x * x) }),
  },
];
