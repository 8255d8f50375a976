import { fmtShape } from '@puzzle/backend';
import { isShape, type ShapeOf } from './data.js';
import { positiveInt } from './args.js';
import { BatchNormND, type BatchNormOptions } from './batch-norm-nd.js';

/**
 * Batch normalisation of (N, size) activations, each feature with its own statistics over the batch
 * (perActivation mode). Port of PuzzleLib/Modules/BatchNorm.py; parameters are (1, size, 1, 1).
 */
export class BatchNorm extends BatchNormND {
  readonly size: number;

  constructor(size: number, opts: BatchNormOptions = {}) {
    // Checked before BatchNormND sees it as 'maps'.
    super(2, positiveInt(`BatchNorm${opts.name ? ` '${opts.name}'` : ''}`, 'size', size), opts);
    this.size = size;
    this.mode = 'perActivation';
    this.dataRank = 2;
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (!isShape(shape)) this.fail('expects a single array');
    if (shape.length !== 2 || shape[1] !== this.size) this.fail(`expects (batch, ${this.size}) data, got ${fmtShape(shape)}`);
  }
}
