import { gpuarray, type GPUArray } from '@puzzle/backend';
import { noteStructureChange } from './structure.js';

export type Updater = (variable: Variable, learnRate: number) => void;

/** What holds a variable for training: the optimizer set up on its module. */
export interface VariableOwner {
  /** Names the owner in errors, e.g. "SGD (set up on Sequential)". */
  readonly ownerName: string;
  /** Another owner took the variable over (setupOn with takeOver): this one must stop updating it, loudly. */
  detach(by: VariableOwner): void;
}

let counter = 0;

/** A trainable tensor: data, its gradient and per-variable optimizer multipliers. */
export class Variable {
  readonly name: string;
  data: GPUArray;
  grad: GPUArray | null;
  /** Multiplier of the optimizer's learning rate for this variable. */
  learnRate = 1.0;
  /** Multiplier of the optimizer's momentum for this variable. */
  momRate = 1.0;
  /** Weight-decay coefficient read by the WeightDecay hook. */
  wc = 0.0;
  readonly updater: Updater | null;
  /** The optimizer that updates this variable (whose global-state buffer may hold it); null when none does. */
  owner: VariableOwner | null = null;

  constructor(data: GPUArray, opts: { name?: string; grad?: GPUArray | null; withgrad?: boolean; updater?: Updater } = {}) {
    this.name = opts.name ?? String(counter++);
    this.data = data;
    this.updater = opts.updater ?? null;
    if (this.updater) {
      this.grad = null;
      return;
    }
    this.grad = opts.grad ?? (opts.withgrad === false ? null : gpuarray.zeros(data.shape, data.dtype));
  }

  get hasUpdater(): boolean {
    return this.updater !== null;
  }

  update(learnRate: number): void {
    this.updater?.(this, learnRate);
  }

  /** Copies another variable's data (and grad when both have one) into this one. */
  set(other: Variable): void {
    this.data.set(other.data);
    if (this.grad && other.grad) this.grad.set(other.grad);
  }

  dispose(): void {
    this.data.dispose();
    this.grad?.dispose();
    noteStructureChange();
  }
}
