import type { GPUArray } from '@puzzle/backend';
import type { Variable } from '@puzzle/modules';

/** An optimizer's per-variable state arrays, by entity name (e.g. Adam's `mg` and `ms`). */
export type OptimizerState = Record<string, GPUArray>;

/**
 * A gradient transformation run by `Optimizer.update` before each variable's update (PuzzleLib Optimizers/Hooks.py).
 * In global-state mode a hook sees one flat Variable per dtype, whose learnRate/momRate/wc are the defaults.
 */
export abstract class Hook {
  abstract call(variable: Variable, state: OptimizerState): void;
}
