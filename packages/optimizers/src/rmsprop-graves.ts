import { gpuarray, kernels } from '@puzzle/backend';
import type { Variable } from '@puzzle/modules';
import type { OptimizerState } from './hook.js';
import { decayRate, nonNegative } from './hyper.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';

export interface RMSPropGravesOptions extends OptimizerOptions {
  learnRate?: number;
  alpha?: number;
  momRate?: number;
  epsilon?: number;
}

/**
 * Graves' RMSProp with momentum: mg = α·mg + (1 − α)·g; ms = α·ms + (1 − α)·g²;
 * δ = μ·δ + lr·g/√(ms − mg² + ε); p += δ, with lr = learnRate·var.learnRate, μ = momRate·var.momRate and ε inside
 * the root. States `mg`, `ms`, `delta` (param dtype). Port of PuzzleLib/Optimizers/RMSPropGraves.py.
 */
export class RMSPropGraves extends Optimizer {
  declare alpha: number;
  declare momRate: number;
  declare epsilon: number;

  constructor(opts: RMSPropGravesOptions = {}) {
    super(opts);
    this.setAttr('learnRate', nonNegative(this.optimizerName, 'learnRate', opts.learnRate ?? 1e-4));
    this.setAttr('alpha', decayRate(this.optimizerName, 'alpha', opts.alpha ?? 0.95));
    this.setAttr('momRate', decayRate(this.optimizerName, 'momRate', opts.momRate ?? 0.9));
    this.setAttr('epsilon', nonNegative(this.optimizerName, 'epsilon', opts.epsilon ?? 1e-4));
  }

  protected override setupState(v: Variable): OptimizerState {
    const zeros = () => gpuarray.zeros(v.data.shape, v.data.dtype);
    return { mg: zeros(), ms: zeros(), delta: zeros() };
  }

  protected updateVar(v: Variable, state: OptimizerState): void {
    kernels.optimizerStep({
      kind: 'rmspropGraves',
      param: v.data,
      grad: v.grad!,
      mg: state['mg']!,
      ms: state['ms']!,
      delta: state['delta']!,
      lr: this.learnRate * v.learnRate,
      alpha: this.alpha,
      momRate: this.momRate * v.momRate,
      epsilon: this.epsilon,
    });
  }
}
