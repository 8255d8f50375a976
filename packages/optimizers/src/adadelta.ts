import { gpuarray, kernels } from '@puzzle/backend';
import type { Variable } from '@puzzle/modules';
import type { OptimizerState } from './hook.js';
import { decayRate, nonNegative } from './hyper.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';

export interface AdaDeltaOptions extends OptimizerOptions {
  rho?: number;
  epsilon?: number;
}

/**
 * AdaDelta: msg += (1 − ρ)(g² − msg); dx = √((msdx + ε)/(msg + ε))·g; msdx += (1 − ρ)(dx² − msdx); p += dx.
 * There is no learning rate: `learnRate` stays 0 (so custom updaters get 0) and var.learnRate only gates the update.
 * States `msg`, `msdx` (param dtype). Port of PuzzleLib/Optimizers/AdaDelta.py.
 */
export class AdaDelta extends Optimizer {
  declare rho: number;
  declare epsilon: number;

  constructor(opts: AdaDeltaOptions = {}) {
    super(opts);
    this.setAttr('rho', decayRate(this.optimizerName, 'rho', opts.rho ?? 0.95));
    this.setAttr('epsilon', nonNegative(this.optimizerName, 'epsilon', opts.epsilon ?? 1e-6));
  }

  protected override setupState(v: Variable): OptimizerState {
    return { msg: gpuarray.zeros(v.data.shape, v.data.dtype), msdx: gpuarray.zeros(v.data.shape, v.data.dtype) };
  }

  protected updateVar(v: Variable, state: OptimizerState): void {
    const { rho, epsilon } = this;
    kernels.optimizerStep({ kind: 'adadelta', param: v.data, grad: v.grad!, msg: state['msg']!, msdx: state['msdx']!, rho, epsilon });
  }
}
