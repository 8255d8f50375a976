import type { Data } from '@puzzle/modules';

/**
 * What the handlers need of a cost (any @puzzle/cost Cost fits). Declared structurally so that handlers work with
 * every cost's own prediction and target types (single arrays, lists for Multi).
 */
export interface TrainingCost {
  /** The gradient of the batch (owned by the cost), accumulating the error without reading it back. */
  call(pred: Data, target: Data, opts: { queryError: false }): Data;
  resetAccumulator(): void;
  /** Sample-weighted mean error since resetAccumulator(). */
  getMeanError(): number | number[];
}

export interface ValidationCost {
  validate(pred: Data, target: Data): number | number[];
}

/** What the Trainer needs of an optimizer (any @puzzle/optimizers Optimizer fits). */
export interface StepOptimizer {
  zeroGradParams(): void;
  update(): void;
}
