import type { SliceRange } from '@puzzle/backend';
import { Flatten, MoveAxis, Reshape, Slice, SwapAxes, Tile, Transpose, type Module } from '@puzzle/modules';
import { attr } from '../../proto/attributes.js';
import { entry, type ConverterEntry, type ModuleExport } from '../converter.js';

/** ONNX's Reshape reads 0 (copy the input's dim) and −1 (infer) as Puzzle's Reshape does. */
const reshape = entry(Reshape, (mod, e) => e.builder.op('Reshape', [e.x.name, e.builder.int64s(`${e.name}/shape`, mod.shape)], e.name));

/**
 * The permutation a Transpose, SwapAxes or MoveAxis applies to data of the input's rank, read off its own shape
 * inference over distinct dims (1, 2, ...): each output dim names the input axis it came from.
 */
function permutation(mod: Module, rank: number): number[] {
  const out = mod.dataShapeFrom(Array.from({ length: rank }, (_, i) => i + 1)) as number[];
  return out.map((d) => d - 1);
}

function transpose(mod: Module, e: ModuleExport): string {
  return e.builder.op('Transpose', [e.x.name], e.name, [attr.ints('perm', permutation(mod, e.x.shape.length))]);
}

/**
 * Slice: the [start, stop) ranges are one ONNX Slice (negative bounds wrap in both); each integer index then takes
 * its element and drops the axis, which a Gather with a scalar index does (last axis first, so the others keep
 * their places).
 */
function slice(mod: Slice, e: ModuleExport): string {
  const ranges = (mod.slc ?? []).map((r, axis) => [r, axis] as [SliceRange, number]);
  const spans = ranges.filter(([r]) => Array.isArray(r)) as [[number, number], number][];
  let x = e.x.name;
  if (spans.length > 0) {
    const [starts, ends, axes] = [spans.map(([r]) => r[0]), spans.map(([r]) => r[1]), spans.map(([, a]) => a)];
    const bounds = [starts, ends, axes].map((v, i) => e.builder.int64s(`${e.name}/${['starts', 'ends', 'axes'][i]}`, v));
    x = e.builder.op('Slice', [x, ...bounds], e.name);
  }
  const indices = ranges.filter(([r]) => typeof r === 'number') as [number, number][];
  for (const [index, axis] of indices.reverse()) {
    x = e.builder.op('Gather', [x, e.builder.int64s(`${e.name}/index`, [index], [])], e.name, [attr.int('axis', axis)]);
  }
  return x === e.x.name ? e.builder.op('Identity', [x], e.name) : x;
}

/** Puzzle's tile joins `times` copies along one axis: ONNX's Tile with repeats 1 elsewhere. */
const tile = entry(Tile, (mod, e) => {
  const rank = e.x.shape.length;
  const axis = mod.axis < 0 ? mod.axis + rank : mod.axis;
  const repeats = Array.from({ length: rank }, (_, i) => (i === axis ? mod.times : 1));
  return e.builder.op('Tile', [e.x.name, e.builder.int64s(`${e.name}/repeats`, repeats)], e.name);
});

export const SHAPE: ConverterEntry[] = [
  reshape,
  // (N, d1, d2, ...) → (N, d1·d2·...): ONNX's Flatten at axis 1.
  entry(Flatten, (_, e) => e.builder.op('Flatten', [e.x.name], e.name, [attr.int('axis', 1)])),
  ...[Transpose, SwapAxes, MoveAxis].map((cls) => entry(cls, transpose)),
  entry(Slice, slice),
  tile,
];
