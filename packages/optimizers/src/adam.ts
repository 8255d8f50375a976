import { gpuarray, kernels } from '@puzzle/backend';
import type { Variable } from '@puzzle/modules';
import type { OptimizerState } from './hook.js';
import { decayRate, nonNegative } from './hyper.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';

export interface AdamOptions extends OptimizerOptions {
  alpha?: number;
  beta1?: number;
  beta2?: number;
  /** 1e-8, the value of PuzzleLib's signature (its documentation table says 1e-6: a typo). */
  epsilon?: number;
}

/**
 * Adam in PuzzleLib's form: each step sets learnRate = α·√(1 − β2ᵗ)/(1 − β1ᵗ), then with lr = learnRate·var.learnRate
 * mg += (1 − β1)(g − mg); ms += (1 − β2)(g² − ms); p += lr·mg/(√ms + ε).
 * NOTE: ε is added to the uncorrected √ms (the bias correction lives in the step size), unlike torch/optax's
 * Algorithm 1; `g` is the neg-grad, hence +=. States `mg`, `ms` are float32 whatever the param dtype.
 * Port of PuzzleLib/Optimizers/Adam.py.
 */
export class Adam extends Optimizer {
  declare alpha: number;
  declare beta1: number;
  declare beta2: number;
  declare epsilon: number;

  constructor(opts: AdamOptions = {}) {
    super(opts);
    this.setAttr('alpha', nonNegative(this.optimizerName, 'alpha', opts.alpha ?? 1e-3));
    this.setAttr('beta1', decayRate(this.optimizerName, 'beta1', opts.beta1 ?? 0.9));
    this.setAttr('beta2', decayRate(this.optimizerName, 'beta2', opts.beta2 ?? 0.999));
    this.setAttr('epsilon', nonNegative(this.optimizerName, 'epsilon', opts.epsilon ?? 1e-8));
  }

  protected override setupState(v: Variable): OptimizerState {
    return { mg: gpuarray.zeros(v.data.shape, 'float32'), ms: gpuarray.zeros(v.data.shape, 'float32') };
  }

  protected updateVar(v: Variable, state: OptimizerState): void {
    const { alpha, beta1, beta2, epsilon, t } = this;
    this.learnRate = (alpha * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    kernels.optimizerStep({
      kind: 'adam',
      param: v.data,
      grad: v.grad!,
      mg: state['mg']!,
      ms: state['ms']!,
      lr: this.learnRate * v.learnRate,
      fix1: 1 - beta1,
      fix2: 1 - beta2,
      epsilon,
    });
  }
}
