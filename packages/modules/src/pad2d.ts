import { Dnn, type GPUArray } from '@puzzle/backend';
import { PadND, type PadMode } from './pad-nd.js';

type Pads = readonly [number, number, number, number];

/**
 * Pads (N, C, H, W) images by `pad` = p or (up, bottom, left, right): constant `fillValue` (default 0) or
 * numpy 'reflect'. Port of PuzzleLib/Modules/Pad2D.py.
 */
export class Pad2D extends PadND {
  readonly pad: Pads;

  constructor(pad: number | Pads, opts: { mode?: PadMode; fillValue?: number | null; name?: string | null } = {}) {
    const pads: Pads = typeof pad === 'number' ? [pad, pad, pad, pad] : pad;
    super([[pads[0], pads[1]], [pads[2], pads[3]]], opts);
    this.pad = pads;
  }

  protected reflect(x: GPUArray): GPUArray {
    return Dnn.reflectPad2d(x, this.pad);
  }

  protected reflectBackward(grad: GPUArray): GPUArray {
    return Dnn.reflectPad2dBackward(grad, this.pad);
  }
}
