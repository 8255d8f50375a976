import { gpuarray, kernels } from '@puzzle/backend';
import type { Variable } from '@puzzle/modules';
import type { OptimizerState } from './hook.js';
import { nonNegative } from './hyper.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';

export interface AdaGradOptions extends OptimizerOptions {
  learnRate?: number;
  epsilon?: number;
}

/**
 * AdaGrad: h += g²; p += lr·g/(√h + ε), with lr = learnRate·var.learnRate. State `h` (param dtype).
 * Port of PuzzleLib/Optimizers/AdaGrad.py.
 */
export class AdaGrad extends Optimizer {
  declare epsilon: number;

  constructor(opts: AdaGradOptions = {}) {
    super(opts);
    this.setAttr('learnRate', nonNegative(this.optimizerName, 'learnRate', opts.learnRate ?? 1e-3));
    this.setAttr('epsilon', nonNegative(this.optimizerName, 'epsilon', opts.epsilon ?? 1e-8));
  }

  protected override setupState(v: Variable): OptimizerState {
    return { h: gpuarray.zeros(v.data.shape, v.data.dtype) };
  }

  protected updateVar(v: Variable, state: OptimizerState): void {
    kernels.optimizerStep({ kind: 'adagrad', param: v.data, grad: v.grad!, h: state['h']!, lr: this.learnRate * v.learnRate, epsilon: this.epsilon });
  }
}
