import type { DType } from '@puzzle/backend';
import type { Data } from './data.js';
import { Module } from './module.js';

/** Passes data and gradient through unchanged (as views this module owns). */
export class Identity extends Module {
  constructor(opts: { name?: string | null } = {}) {
    super(opts.name ?? null);
    this.movesData = true;
    this.movesGrad = true;
  }

  protected updateData(data: Data): Data {
    return data;
  }

  protected updateGrad(grad: Data): Data {
    return grad;
  }

  override calcMode(dtype: DType): void {
    this.calctype = dtype;
  }
}
