import { getGlobalRng, Rng } from '@puzzle/backend';
import { describeValue } from '@puzzle/backend';
import { disposeData, Module, type Data } from '@puzzle/modules';
import { requireKind, sampleCount, sliceDevice, uploadHost, type HostData } from './batching.js';
import { HandlerError } from './handler-error.js';
import { Progress, type ProgressOptions } from './progress.js';

export interface HandlerOptions<H> {
  onBatchFinish?: (handler: H) => void;
  batchsize?: number;
  /** Generator of the random batch order (default: the backend's global one). */
  rng?: Rng;
  /** Report batches, loss and rate: true for stdout, or where and how often. */
  progress?: boolean | ProgressOptions;
}

export interface HostPassOptions<H> {
  macroBatchSize?: number;
  onMacroBatchFinish?: (handler: H) => void;
  random?: boolean;
}

/**
 * Runs a module over data batch by batch (PuzzleLib's Handler): device data is cut into ceil(n / batchsize) batches
 * visited in a random or sequential order; host data is first cut into macro-batches that are uploaded one at a time.
 */
export abstract class Handler<State = unknown> {
  readonly module: Module;
  batchsize: number;
  onBatchFinish: ((handler: this) => void) | null;
  currBatch = 0;
  totalBatches = 0;
  currMacroBatch = 0;
  totalMacroBatches = 0;
  /** Names the pass in progress output (e.g. "epoch 3"); defaults to the handler's kind. */
  label: string | null = null;
  protected readonly rng: Rng;
  protected readonly progress: Progress | null;

  constructor(mod: Module, opts: HandlerOptions<Handler<State>> = {}) {
    if (!(mod instanceof Module)) throw new HandlerError(`${new.target.name}: expects a Module to run, got ${describeValue(mod)}`);
    const batchsize = opts.batchsize ?? 128;
    if (!Number.isInteger(batchsize) || batchsize < 1) throw new HandlerError(`batchsize must be a positive integer, got ${batchsize}`);
    this.module = mod;
    this.batchsize = batchsize;
    this.onBatchFinish = opts.onBatchFinish ?? null;
    this.rng = opts.rng ?? getGlobalRng();
    this.progress = opts.progress ? new Progress(opts.progress === true ? {} : opts.progress) : null;
  }

  protected handle(data: Data, state: State, random = true): void {
    requireKind(data, 'device', this.constructor.name);
    const n = sampleCount(data, this.constructor.name);
    this.totalBatches = Math.ceil(n / this.batchsize);
    this.progress?.start(this.progressLabel(), this.totalBatches);
    let samples = 0;
    this.order(this.totalBatches, random).forEach((idx, i) => {
      const batch = sliceDevice(data, idx * this.batchsize, (idx + 1) * this.batchsize);
      this.currBatch = i + 1;
      try {
        this.handleBatch(batch, idx, state);
      } finally {
        this.module.reset();
        disposeData(batch);
      }
      samples += Math.min(this.batchsize, n - idx * this.batchsize);
      this.progress?.update({ batch: i + 1, samples, ...this.progressLoss() });
      this.onBatchFinish?.(this);
    });
    this.progress?.stop();
  }

  protected handleFromHost(data: HostData, state: State, opts: HostPassOptions<this> = {}): void {
    const { macroBatchSize = 10000, random = true } = opts;
    if (!Number.isInteger(macroBatchSize) || macroBatchSize < 1) throw new HandlerError(`macroBatchSize must be a positive integer, got ${macroBatchSize}`);
    requireKind(data, 'host', this.constructor.name);
    const n = sampleCount(data, this.constructor.name);
    this.totalMacroBatches = Math.ceil(n / macroBatchSize);
    this.order(this.totalMacroBatches, random).forEach((idx, i) => {
      const macrobatch = uploadHost(data, idx * macroBatchSize, (idx + 1) * macroBatchSize);
      this.currMacroBatch = i + 1;
      try {
        this.onMacroBatchStart(idx, macroBatchSize, state);
        this.handle(macrobatch, state, random);
        this.onMacroBatchFinish(idx, macroBatchSize, state);
      } finally {
        disposeData(macrobatch);
      }
      opts.onMacroBatchFinish?.(this);
    });
  }

  private order(count: number, random: boolean): number[] {
    const order = Array.from({ length: count }, (_, i) => i);
    if (!random) return order;
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(this.rng.uniform() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return order;
  }

  protected abstract handleBatch(batch: Data, idx: number, state: State): void;

  protected onMacroBatchStart(_idx: number, _macroBatchSize: number, _state: State): void {}

  protected onMacroBatchFinish(_idx: number, _macroBatchSize: number, _state: State): void {}

  protected progressLabel(): string {
    return this.label ?? this.constructor.name.toLowerCase();
  }

  /** The running loss shown by the progress reporter, if this handler has one. */
  protected progressLoss(): { loss?: () => number } {
    return {};
  }
}
