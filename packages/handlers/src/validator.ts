import type { Data, Module } from '@puzzle/modules';
import { pairedSampleCount, sampleCount, type HostData } from './batching.js';
import type { ValidationCost } from './cost-like.js';
import { Handler, type HandlerOptions, type HostPassOptions } from './handler.js';

interface ValidationState {
  error: number[];
}

/**
 * Runs a module in eval mode over all samples in order and averages `cost.validate` weighted by batch size (one
 * value per target when the target is a list, as for a Multi cost).
 */
export class Validator extends Handler<ValidationState> {
  readonly cost: ValidationCost;
  error: number | number[] = 0;

  constructor(mod: Module, cost: ValidationCost, opts: HandlerOptions<Validator> = {}) {
    super(mod, opts as HandlerOptions<Handler<ValidationState>>);
    this.cost = cost;
  }

  validate(data: Data, target: Data): number | number[] {
    pairedSampleCount(data, target, 'Validator');
    return this.run(target, (state) => this.handle([data, target], state, false));
  }

  validateFromHost(data: HostData, target: HostData, opts: Omit<HostPassOptions<this>, 'random'> = {}): number | number[] {
    pairedSampleCount(data, target, 'Validator');
    return this.run(target, (state) => this.handleFromHost([data, target], state, { ...opts, random: false }));
  }

  private run(target: Data | HostData, pass: (state: ValidationState) => void): number | number[] {
    const n = sampleCount(target, 'Validator target');
    const state: ValidationState = { error: new Array<number>(Array.isArray(target) ? target.length : 1).fill(0) };
    this.module.evalMode();
    pass(state);
    const error = state.error.map((e) => e / n);
    this.error = Array.isArray(target) ? error : error[0]!;
    return this.error;
  }

  protected handleBatch(batch: Data, _idx: number, state: ValidationState): void {
    const [data, target] = batch as [Data, Data];
    const result = this.cost.validate(this.module.call(data), target);
    const batchError = Array.isArray(result) ? result : [result];
    const size = sampleCount(data, 'Validator');
    state.error.forEach((_, i) => (state.error[i]! += size * batchError[i]!));
  }
}
