import { kernels } from '@puzzle/backend';
import type { Variable } from '@puzzle/modules';
import { Hook } from './hook.js';

/**
 * L2 weight decay on the neg-grad: grad −= rate·wc·param for every variable with wc > 0.
 * Variables start with wc = 0, so set `variable.wc` for those to decay. In global-state mode the flat variable has
 * wc = 0 (PuzzleLib drops per-variable settings there), so the hook does nothing unless its wc is set.
 * Port of PuzzleLib/Optimizers/Hooks.py.
 */
export class WeightDecay extends Hook {
  constructor(readonly rate: number) {
    super();
  }

  call(variable: Variable): void {
    if (variable.wc > 0 && variable.grad) kernels.weightDecay(variable.grad, variable.data, this.rate * variable.wc);
  }
}
