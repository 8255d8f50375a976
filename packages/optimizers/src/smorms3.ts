import { gpuarray, kernels } from '@puzzle/backend';
import type { Variable } from '@puzzle/modules';
import type { OptimizerState } from './hook.js';
import { nonNegative } from './hyper.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';

export interface SMORMS3Options extends OptimizerOptions {
  learnRate?: number;
  epsilon?: number;
}

/**
 * SMORMS3 (Funk 2015): r = 1/(mem + 1); mg = (1 − r)·mg + r·g; ms = (1 − r)·ms + r·g²; x = mg²/(ms + ε);
 * mem = 1 + mem·(1 − x); p += g·min(lr, x)/(√ms + ε), with lr = learnRate·var.learnRate.
 * States `mem` (ones), `mg`, `ms` (zeros), all float32. Port of PuzzleLib/Optimizers/SMORMS3.py.
 */
export class SMORMS3 extends Optimizer {
  declare epsilon: number;

  constructor(opts: SMORMS3Options = {}) {
    super(opts);
    this.setAttr('learnRate', nonNegative(this.optimizerName, 'learnRate', opts.learnRate ?? 1e-3));
    this.setAttr('epsilon', nonNegative(this.optimizerName, 'epsilon', opts.epsilon ?? 1e-16));
  }

  protected override setupState(v: Variable): OptimizerState {
    const shape = v.data.shape;
    return { mem: gpuarray.zeros(shape, 'float32').fill(1), mg: gpuarray.zeros(shape, 'float32'), ms: gpuarray.zeros(shape, 'float32') };
  }

  protected updateVar(v: Variable, state: OptimizerState): void {
    const { mem, mg, ms } = state;
    kernels.optimizerStep({ kind: 'smorms3', param: v.data, grad: v.grad!, mem: mem!, mg: mg!, ms: ms!, lr: this.learnRate * v.learnRate, epsilon: this.epsilon });
  }
}
