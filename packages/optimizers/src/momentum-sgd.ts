import { gpuarray, kernels } from '@puzzle/backend';
import type { Variable } from '@puzzle/modules';
import type { OptimizerState } from './hook.js';
import { decayRate, nonNegative } from './hyper.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';

export interface MomentumSGDOptions extends OptimizerOptions {
  learnRate?: number;
  momRate?: number;
}

/**
 * Classical momentum: m = μ·m + lr·g; p += m, with lr = learnRate·var.learnRate and μ = momRate·var.momRate.
 * State `mom` (param dtype). Port of PuzzleLib/Optimizers/MomentumSGD.py.
 */
export class MomentumSGD extends Optimizer {
  declare momRate: number;

  constructor(opts: MomentumSGDOptions = {}) {
    super(opts);
    this.setAttr('learnRate', nonNegative(this.optimizerName, 'learnRate', opts.learnRate ?? 1e-3));
    this.setAttr('momRate', decayRate(this.optimizerName, 'momRate', opts.momRate ?? 0.9));
  }

  protected override setupState(v: Variable): OptimizerState {
    return { mom: gpuarray.zeros(v.data.shape, v.data.dtype) };
  }

  protected updateVar(v: Variable, state: OptimizerState): void {
    kernels.optimizerStep({
      kind: this.kernel,
      param: v.data,
      grad: v.grad!,
      mom: state['mom']!,
      lr: this.learnRate * v.learnRate,
      momRate: this.momRate * v.momRate,
    });
  }

  protected get kernel(): 'momentumSGD' | 'nesterovSGD' {
    return 'momentumSGD';
  }
}
