import { kernels } from '@puzzle/backend';
import type { Variable } from '@puzzle/modules';
import { nonNegative } from './hyper.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';

export interface SGDOptions extends OptimizerOptions {
  learnRate?: number;
}

/** Stochastic gradient descent: p += learnRate·var.learnRate·g (g is the neg-grad). Port of PuzzleLib/Optimizers/SGD.py. */
export class SGD extends Optimizer {
  constructor(opts: SGDOptions = {}) {
    super(opts);
    this.setAttr('learnRate', nonNegative(this.optimizerName, 'learnRate', opts.learnRate ?? 1e-3));
  }

  protected updateVar(v: Variable): void {
    kernels.optimizerStep({ kind: 'sgd', param: v.data, grad: v.grad!, lr: this.learnRate * v.learnRate });
  }
}
