import { fmtShape, type GPUArray } from '@puzzle/backend';
import { fail } from './checks.js';
import { Cost, type Tensors } from './cost.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCost = Cost<any, any, any, number>;

/** One entry per member cost: an array, or a list of arrays for costs such as L1Hinge. */
export type MultiData = (GPUArray | GPUArray[])[];

/**
 * Several costs applied to paired lists of predictions and targets: grads, errors and validation values are lists
 * in the order of `append`. Each member keeps its own accumulators and owns its grad.
 * Port of PuzzleLib/Cost/Multi.py.
 */
export class Multi extends Cost<MultiData, MultiData, MultiData, number[]> {
  readonly costs: AnyCost[] = [];
  protected override readonly takesList = true;

  append(cost: AnyCost): this {
    this.costs.push(cost);
    return this;
  }

  override checkInputs(preds: MultiData | Tensors, targets: MultiData, forValidation: boolean): asserts preds is MultiData {
    if (!Array.isArray(preds) || !Array.isArray(targets) || preds.length !== this.costs.length || targets.length !== this.costs.length) {
      fail(this.costName, `expects ${this.costs.length} predictions and targets, got ${describe(preds)} and ${describe(targets)}`);
    }
    this.costs.forEach((cost, i) => cost.checkInputs(preds[i], targets[i], forValidation));
  }

  calcGrad(preds: MultiData, targets: MultiData): MultiData {
    return this.costs.map((cost, i) => {
      const grad = cost.calcGrad(preds[i], targets[i]);
      cost.reset();
      cost.grad = grad;
      return grad;
    });
  }

  override calcError(preds: MultiData, targets: MultiData): void {
    this.costs.forEach((cost, i) => cost.calcError(preds[i], targets[i]));
    this.dirty = true;
  }

  calcVal(preds: MultiData, targets: MultiData): number[] {
    return this.costs.map((cost, i) => cost.calcVal(preds[i], targets[i]));
  }

  override getBatchsize(preds: MultiData): number {
    return this.costs[0] ? this.costs[0].getBatchsize(preds[0]) : 0;
  }

  override updateState(samples: number): void {
    this.costs.forEach((cost) => cost.updateState(samples));
  }

  override getError(): number[] {
    if (this.dirty) {
      this.error = this.costs.map((cost) => cost.getError());
      this.dirty = false;
    }
    return this.error!;
  }

  override getMeanError(): number[] {
    return this.costs.map((cost) => cost.getMeanError());
  }

  override resetAccumulator(): void {
    this.costs.forEach((cost) => cost.resetAccumulator());
  }

  override resetDeviceAccumulator(): void {
    this.costs.forEach((cost) => cost.resetDeviceAccumulator());
  }

  override dispose(): void {
    super.dispose();
    this.costs.forEach((cost) => cost.dispose());
  }

  /** The members own their grads. */
  protected override disposeGrad(): void {}
}

function describe(x: unknown): string {
  if (!Array.isArray(x)) return 'a non-list';
  return `[${x.map((a) => (a && typeof a === 'object' && 'shape' in a ? fmtShape((a as GPUArray).shape) : '?')).join(', ')}]`;
}
