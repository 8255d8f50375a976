import { gpuarray, kernels } from '@puzzle/backend';
import type { Variable } from '@puzzle/modules';
import type { OptimizerState } from './hook.js';
import { decayRate, nonNegative } from './hyper.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';

export interface RMSPropOptions extends OptimizerOptions {
  learnRate?: number;
  factor?: number;
  epsilon?: number;
}

/**
 * RMSProp: ms = f·ms + (1 − f)·g²; p += lr·g/(√ms + ε), with lr = learnRate·var.learnRate.
 * State `ms` (param dtype). Port of PuzzleLib/Optimizers/RMSProp.py.
 */
export class RMSProp extends Optimizer {
  declare factor: number;
  declare epsilon: number;

  constructor(opts: RMSPropOptions = {}) {
    super(opts);
    this.setAttr('learnRate', nonNegative(this.optimizerName, 'learnRate', opts.learnRate ?? 1e-3));
    this.setAttr('factor', decayRate(this.optimizerName, 'factor', opts.factor ?? 0.9));
    this.setAttr('epsilon', nonNegative(this.optimizerName, 'epsilon', opts.epsilon ?? 1e-5));
  }

  protected override setupState(v: Variable): OptimizerState {
    return { ms: gpuarray.zeros(v.data.shape, v.data.dtype) };
  }

  protected updateVar(v: Variable, state: OptimizerState): void {
    const { factor, epsilon } = this;
    kernels.optimizerStep({ kind: 'rmsprop', param: v.data, grad: v.grad!, ms: state['ms']!, lr: this.learnRate * v.learnRate, factor, epsilon });
  }
}
