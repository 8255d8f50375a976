import { MomentumSGD } from './momentum-sgd.js';

/**
 * Nesterov momentum: p += μ²·m + (1 + μ)·lr·g; m = μ·m + lr·g (the same as p += μ·m_new + lr·g).
 * Defaults, state and multipliers as MomentumSGD. Port of PuzzleLib/Optimizers/NesterovSGD.py.
 */
export class NesterovSGD extends MomentumSGD {
  protected override get kernel(): 'nesterovSGD' {
    return 'nesterovSGD';
  }
}
