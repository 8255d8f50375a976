/** Float64 re-implementations of PuzzleLib's optimizer updates (§1.9, §7.2), written with plain loops. */
export type RefState = Record<string, Float64Array>;

export type OptimizerKind = 'SGD' | 'MomentumSGD' | 'NesterovSGD' | 'RMSProp' | 'RMSPropGraves' | 'AdaGrad' | 'AdaDelta' | 'Adam' | 'SMORMS3';

export type Hyper = Record<string, number>;

/** One in-place update of p (and the state) by the neg-grad g at step t. */
export function referenceStep(kind: OptimizerKind, h: Hyper, p: Float64Array, g: Float64Array, s: RefState, t: number): void {
  for (let i = 0; i < p.length; i++) p[i]! += delta(kind, h, g[i]!, s, i, t);
}

/** The increment of element i, updating the state of element i. */
function delta(kind: OptimizerKind, h: Hyper, g: number, s: RefState, i: number, t: number): number {
  const lr = h['learnRate']!;
  switch (kind) {
    case 'SGD':
      return lr * g;
    case 'MomentumSGD':
      return (s['mom']![i] = h['momRate']! * s['mom']![i]! + lr * g);
    case 'NesterovSGD': {
      const mu = h['momRate']!;
      const old = s['mom']![i]!;
      s['mom']![i] = mu * old + lr * g;
      return mu * mu * old + (1 + mu) * lr * g;
    }
    case 'RMSProp': {
      const ms = (s['ms']![i] = h['factor']! * s['ms']![i]! + (1 - h['factor']!) * g * g);
      return (lr * g) / (Math.sqrt(ms) + h['epsilon']!);
    }
    case 'RMSPropGraves': {
      const a = h['alpha']!;
      const mg = (s['mg']![i] = a * s['mg']![i]! + (1 - a) * g);
      const ms = (s['ms']![i] = a * s['ms']![i]! + (1 - a) * g * g);
      return (s['delta']![i] = h['momRate']! * s['delta']![i]! + (lr * g) / Math.sqrt(ms - mg * mg + h['epsilon']!));
    }
    case 'AdaGrad': {
      const hh = (s['h']![i] = s['h']![i]! + g * g);
      return (lr * g) / (Math.sqrt(hh) + h['epsilon']!);
    }
    case 'AdaDelta': {
      const keep = 1 - h['rho']!;
      const eps = h['epsilon']!;
      const msg = (s['msg']![i] = s['msg']![i]! + keep * (g * g - s['msg']![i]!));
      const dx = Math.sqrt((s['msdx']![i]! + eps) / (msg + eps)) * g;
      s['msdx']![i] = s['msdx']![i]! + keep * (dx * dx - s['msdx']![i]!);
      return dx;
    }
    case 'Adam': {
      const { alpha, beta1, beta2, epsilon } = h as { alpha: number; beta1: number; beta2: number; epsilon: number };
      const step = (alpha * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      const mg = (s['mg']![i] = s['mg']![i]! + (1 - beta1) * (g - s['mg']![i]!));
      const ms = (s['ms']![i] = s['ms']![i]! + (1 - beta2) * (g * g - s['ms']![i]!));
      return (step * mg) / (Math.sqrt(ms) + epsilon);
    }
    case 'SMORMS3': {
      const eps = h['epsilon']!;
      const r = 1 / (s['mem']![i]! + 1);
      const mg = (s['mg']![i] = (1 - r) * s['mg']![i]! + r * g);
      const ms = (s['ms']![i] = (1 - r) * s['ms']![i]! + r * g * g);
      const x = (mg * mg) / (ms + eps);
      s['mem']![i] = 1 + s['mem']![i]! * (1 - x);
      return (g * Math.min(lr, x)) / (Math.sqrt(ms) + eps);
    }
  }
}

/** The state each optimizer starts from: zeros, except SMORMS3's mem of ones. */
export function initialState(kind: OptimizerKind, n: number): RefState {
  const names: Record<OptimizerKind, string[]> = {
    SGD: [],
    MomentumSGD: ['mom'],
    NesterovSGD: ['mom'],
    RMSProp: ['ms'],
    RMSPropGraves: ['mg', 'ms', 'delta'],
    AdaGrad: ['h'],
    AdaDelta: ['msg', 'msdx'],
    Adam: ['mg', 'ms'],
    SMORMS3: ['mem', 'mg', 'ms'],
  };
  return Object.fromEntries(names[kind].map((k) => [k, new Float64Array(n).fill(k === 'mem' ? 1 : 0)]));
}
