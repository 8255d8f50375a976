import { Flatten, Reshape, Slice, Tile, Transpose, type Module } from '@puzzle/modules';
import type { NodeImport } from '../node-import.js';
import type { Importer } from './importer.js';

/** Reshape by a constant shape: 0 copies a dim and −1 is inferred, as in Puzzle's Reshape (allowzero must be 0). */
function reshape(n: NodeImport): Module {
  n.requireDefault('allowzero', 0);
  return new Reshape(n.ints(1)!, { name: n.name });
}

function flatten(n: NodeImport): Module {
  if (n.attrs.int('axis', 1) !== 1) n.fail(`only axis 1 is supported, got ${n.attrs.int('axis', 1)}`);
  return new Flatten({ name: n.name });
}

/** Bounds past an end (as "to the end" is written) are clamped to the dim, which must then be fixed. */
function clamp(n: NodeImport, bound: number, dim: number, axis: number): number {
  const at = bound < 0 ? bound + dim : bound;
  if (at >= 0 && at <= dim) return bound;
  if (axis === 0) n.fail(`bound ${bound} on the batch axis is not supported`);
  return Math.min(Math.max(at, 0), dim);
}

/** Slice with constant starts, ends and axes and unit steps: Puzzle's Slice of [start, stop) ranges. */
function slice(n: NodeImport): Module {
  const shape = n.shape(n.x);
  const [starts, ends] = [n.ints(1)!, n.ints(2)!];
  const axes = (n.ints(3) ?? starts.map((_, i) => i)).map((a) => (a < 0 ? a + shape.length : a));
  if ((n.ints(4) ?? []).some((s) => s !== 1)) n.fail('only unit steps are supported');
  const ranges: ([number, number] | null)[] = new Array<null>(Math.max(...axes) + 1).fill(null);
  axes.forEach((axis, i) => (ranges[axis] = [clamp(n, starts[i]!, shape[axis]!, axis), clamp(n, ends[i]!, shape[axis]!, axis)]));
  return new Slice(ranges, { name: n.name });
}

/** Tile along one axis (repeats 1 elsewhere) is Puzzle's tile: copies joined along that axis. */
function tile(n: NodeImport): Module {
  const repeats = n.ints(1)!;
  const tiled = repeats.flatMap((r, axis) => (r === 1 ? [] : [axis]));
  if (tiled.length !== 1) n.fail(`repeats [${repeats.join(', ')}] must be 1 on all axes but one`);
  return new Tile(tiled[0]!, repeats[tiled[0]!]!, { name: n.name });
}

export const SHAPE: Record<string, Importer> = {
  Reshape: reshape,
  Flatten: flatten,
  Transpose: (n) => new Transpose(n.attrs.ints('perm', null), { name: n.name }),
  Slice: slice,
  Tile: tile,
};
