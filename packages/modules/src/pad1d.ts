import { Dnn, type GPUArray } from '@puzzle/backend';
import { PadND, type PadMode } from './pad-nd.js';

/** Pads (N, C, L) sequences by `pad` = l or (l, r): constant `fillValue` (default 0) or numpy 'reflect'. Port of PuzzleLib/Modules/Pad1D.py. */
export class Pad1D extends PadND {
  readonly pad: readonly [number, number];

  constructor(pad: number | readonly [number, number], opts: { mode?: PadMode; fillValue?: number | null; name?: string | null } = {}) {
    const pair = typeof pad === 'number' ? ([pad, pad] as const) : pad;
    super([pair], opts);
    this.pad = pair;
  }

  protected reflect(x: GPUArray): GPUArray {
    return Dnn.reflectPad1d(x, this.pad);
  }

  protected reflectBackward(grad: GPUArray): GPUArray {
    return Dnn.reflectPad1dBackward(grad, this.pad);
  }
}
