import { Add, Concat, Mul, Replicate, Split, Sum } from '@puzzle/modules';
import { attr } from '../../proto/attributes.js';
import { entry, type ConverterEntry, type ModuleExport } from '../converter.js';
import type { Names, Value } from '../values.js';

const concat = entry(Concat, (mod, e) => e.builder.op('Concat', e.xs.map((x) => x.name), e.name, [attr.int('axis', mod.axis)]));

/** Split into pieces of the given sizes: ONNX's Split with its `split` input, one output per piece. */
const split = entry(Split, (mod, e): Names => {
  const sizes = e.builder.int64s(`${e.name}/split`, mod.sections);
  return e.builder.node('Split', [e.x.name, sizes], { name: e.name, attrs: [attr.int('axis', mod.axis)], outputs: mod.sections.length });
});

/** ONNX's Sum adds any number of inputs, as Puzzle's Add does. */
const add = entry(Add, (_, e) => e.builder.op('Sum', e.xs.map((x) => x.name), e.name));

/** ONNX's Mul takes two inputs: a product of more is a chain. */
const mul = entry(Mul, (_, e) => {
  const [first, ...rest] = e.xs.map((x) => x.name);
  if (rest.length === 0) return e.builder.op('Identity', [first!], e.name);
  return rest.reduce((acc, x) => e.builder.op('Mul', [acc, x], e.name), first!);
});

/**
 * Sum over an axis, keepdims 0. With weights the input is [data, v], v shaped like data up to the axis: v is spread
 * over the trailing dims as Puzzle's Sum does it (a column, tiled, reshaped like data), then multiplied in; the
 * plain Reshape, Tile and Mul keep the model within what importOnnx reads.
 */
function sum(mod: Sum, e: ModuleExport): string {
  const axes = e.builder.int64s(`${e.name}/axes`, [mod.axis]);
  if (!mod.useWeights) return e.builder.op('ReduceSum', [e.x.name, axes], e.name, [attr.int('keepdims', 0)]);
  const [data, v] = e.xs as [Value, Value];
  const post = data.shape.slice(mod.axis + 1).reduce((p, d) => p * d, 1);
  let weights = v.name;
  if (post > 1) {
    const column = e.builder.op('Reshape', [weights, e.builder.int64s(`${e.name}/column`, [-1, 1])], e.name);
    const tiled = e.builder.op('Tile', [column, e.builder.int64s(`${e.name}/repeats`, [1, post])], e.name);
    weights = e.builder.op('Reshape', [tiled, e.builder.int64s(`${e.name}/data_shape`, [-1, ...data.shape.slice(1)])], e.name);
  }
  const weighted = e.builder.op('Mul', [data.name, weights], e.name);
  return e.builder.op('ReduceSum', [weighted, axes], e.name, [attr.int('keepdims', 0)]);
}

/** Replicate hands the same array to each output slot: the same ONNX value, no node. */
const replicate = entry(Replicate, (mod, e): Names => new Array<string>(mod.times).fill(e.x.name));

export const COMBINE: ConverterEntry[] = [concat, split, add, mul, entry(Sum, sum), replicate];
