import { Cast, Dropout, Identity, Pad1D, Pad2D, Upsample2D, type Module, type PadMode } from '@puzzle/modules';
import type { NodeImport } from '../node-import.js';
import { DataType } from '../../proto/onnx-types.js';
import type { Importer } from './importer.js';

/** Dropout at inference (no training_mode, no mask read): the identity, keeping the ratio for training. */
function dropout(n: NodeImport): Module {
  if (n.input(2) !== null) n.fail('training_mode is not supported');
  if ((n.node.output ?? [])[1]) n.fail('the mask output is not supported');
  return new Dropout(n.scalar(1, 0.5), { name: n.name });
}

/** Cast between float32 and float16. */
function cast(n: NodeImport): Module {
  const to = n.attrs.int('to', 0);
  const from = n.dtype(n.x);
  if (from === 'int32' || (to !== DataType.FLOAT && to !== DataType.FLOAT16)) n.fail(`only casts between float32 and float16 are supported (to ${to})`);
  return new Cast(from, to === DataType.FLOAT ? 'float32' : 'float16', { name: n.name });
}

/** Pad of the spatial axes of (N, C, L) or (N, C, H, W) data, constant (with a constant value) or reflect. */
function pad(n: NodeImport): Module {
  const mode = n.attrs.string('mode', 'constant');
  if (mode !== 'constant' && mode !== 'reflect') n.fail(`mode ${mode} is not supported (constant, reflect)`);
  if (n.input(3) !== null) n.fail('the axes input is not supported');
  const rank = n.shape(n.x).length;
  const pads = n.ints(1)!;
  if ((rank !== 3 && rank !== 4) || pads.length !== 2 * rank) n.fail(`pads [${pads.join(', ')}] on rank ${rank}: only (N, C, L) and (N, C, H, W) data`);
  if ([0, 1, rank, rank + 1].some((i) => pads[i] !== 0)) n.fail(`pads [${pads.join(', ')}] pad the batch or channel axis`);
  const [before, after] = [pads.slice(2, rank), pads.slice(rank + 2)];
  const opts = { mode: mode as PadMode, fillValue: n.scalar(2, 0), name: n.name };
  if (rank === 3) return new Pad1D([before[0]!, after[0]!], opts);
  return new Pad2D([before[0]!, after[0]!, before[1]!, after[1]!], opts);
}

/**
 * Resize of (N, C, H, W) by constant integer scales: nearest at ⌊o/s⌋ (asymmetric and floor; ONNX's default
 * half_pixel with round_prefer_floor picks the same cell for integer scales) or align-corners bilinear: Upsample2D.
 */
function resize(n: NodeImport): Module {
  const scales = n.constant(2) === null ? null : Array.from(n.param(2, [4]).data);
  if (scales === null || scales[0] !== 1 || scales[1] !== 1 || !scales.slice(2).every((s) => Number.isInteger(s) && s >= 1)) {
    n.fail(`only constant integer scales [1, 1, sh, sw] are supported${scales ? `, got [${scales.join(', ')}]` : ''}`);
  }
  const mode = n.attrs.string('mode', 'nearest');
  const transform = n.attrs.string('coordinate_transformation_mode', 'half_pixel');
  const nearest = `${transform}/${n.attrs.string('nearest_mode', 'round_prefer_floor')}`;
  const ok = mode === 'nearest' ? ['asymmetric/floor', 'half_pixel/round_prefer_floor'].includes(nearest) : mode === 'linear' && transform === 'align_corners';
  if (!ok) n.fail(`mode ${mode} with ${transform} is not supported (nearest: asymmetric with floor; linear: align_corners)`);
  return new Upsample2D([scales[2]!, scales[3]!], { mode: mode as 'nearest' | 'linear', name: n.name });
}

export const MISC: Record<string, Importer> = {
  Identity: (n) => new Identity({ name: n.name }),
  Dropout: dropout,
  Cast: cast,
  Pad: pad,
  Resize: resize,
};

