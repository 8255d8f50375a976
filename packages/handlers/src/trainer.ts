import { describeValue } from '@puzzle/backend';
import { watchAnomalies, type Data, type Module } from '@puzzle/modules';
import { pairedSampleCount, type HostData } from './batching.js';
import type { StepOptimizer, TrainingCost } from './cost-like.js';
import { Handler, type HandlerOptions, type HostPassOptions } from './handler.js';
import { HandlerError } from './handler-error.js';

export interface TrainerOptions extends HandlerOptions<Trainer> {
  /**
   * Anomaly detection on the module (setDetectAnomaly for this net): the first NaN or ±Inf a module's forward or
   * backward produces stops training with an AnomalyError naming the module, the direction and the step (batches
   * trained by this Trainer, from 1).
   */
  detectAnomaly?: boolean;
}

/**
 * One training pass (epoch) over the data in train mode: per batch, forward, cost gradient, zeroed parameter
 * gradients, backward without the input gradient, optimizer step (PuzzleLib's Trainer). The cost's accumulator is
 * reset at the start of the pass, so `cost.getMeanError()` afterwards is the epoch's mean training error.
 */
export class Trainer extends Handler {
  readonly cost: TrainingCost;
  readonly optimizer: StepOptimizer;
  /** Batches trained so far, over every pass. */
  steps = 0;

  constructor(mod: Module, cost: TrainingCost, optimizer: StepOptimizer, opts: TrainerOptions = {}) {
    super(mod, opts as HandlerOptions<Handler>);
    if (typeof cost?.call !== 'function') throw new HandlerError(`Trainer: expects a cost (MSE, CrossEntropy, ...), got ${describeValue(cost)}`);
    if (typeof optimizer?.update !== 'function') throw new HandlerError(`Trainer: expects an optimizer set up on the module, got ${describeValue(optimizer)}`);
    this.cost = cost;
    this.optimizer = optimizer;
    if (opts.detectAnomaly) watchAnomalies(mod, { step: () => this.steps + 1 });
  }

  train(data: Data, target: Data, opts: { random?: boolean } = {}): void {
    pairedSampleCount(data, target, 'Trainer');
    this.cost.resetAccumulator();
    this.module.trainMode();
    this.handle([data, target], undefined, opts.random ?? true);
  }

  trainFromHost(data: HostData, target: HostData, opts: HostPassOptions<this> = {}): void {
    pairedSampleCount(data, target, 'Trainer');
    this.cost.resetAccumulator();
    this.module.trainMode();
    this.handleFromHost([data, target], undefined, opts);
  }

  protected handleBatch(batch: Data): void {
    const [data, target] = batch as [Data, Data];
    const grad = this.cost.call(this.module.call(data), target, { queryError: false });
    this.optimizer.zeroGradParams();
    this.module.backward(grad, { updGrad: false });
    this.optimizer.update();
    this.steps++;
  }

  protected override progressLoss(): { loss: () => number } {
    return { loss: () => meanOf(this.cost.getMeanError()) };
  }
}

function meanOf(error: number | number[]): number {
  return Array.isArray(error) ? error.reduce((a, b) => a + b, 0) / error.length : error;
}
