import { Add, Concat, Identity, Mul, MulAddConst, Split, Sum, type Module } from '@puzzle/modules';
import type { NodeImport } from '../node-import.js';
import type { Importer } from './importer.js';

function concat(n: NodeImport): Module {
  if (n.dynamicInputs.length !== (n.node.input ?? []).length) n.fail('constant inputs are not supported');
  return new Concat(n.attrs.int('axis', 0), { name: n.name });
}

/** Split by constant sizes, or into num_outputs (or as many outputs as the node has) equal pieces. */
function split(n: NodeImport): Module {
  const axis = n.attrs.int('axis', 0);
  const sizes = n.ints(1);
  if (sizes !== null) return new Split(axis, sizes, { name: n.name });
  const shape = n.shape(n.x);
  const parts = n.attrs.int('num_outputs', (n.node.output ?? []).length);
  const dim = shape[axis < 0 ? axis + shape.length : axis]!;
  const piece = Math.ceil(dim / parts);
  return new Split(axis, Array.from({ length: parts }, (_, i) => Math.min(piece, dim - i * piece)), { name: n.name });
}

/** Add and Mul: of two computed arrays of one shape, or of an array and a constant scalar (MulAddConst). */
function binary(op: 'Add' | 'Mul'): Importer {
  return (n) => {
    const computed = n.dynamicInputs;
    if (computed.length === 2) return op === 'Add' ? new Add({ name: n.name }) : new Mul({ name: n.name });
    const k = n.values.isDynamic(n.input(0)!) ? 1 : 0;
    const c = n.scalar(k, 0);
    return op === 'Add' ? new MulAddConst(1, c, { name: n.name }) : new MulAddConst(c, 0, { name: n.name });
  };
}

/** ReduceSum over one constant axis without keeping it: Puzzle's Sum without weights. */
function reduceSum(n: NodeImport): Module {
  n.requireDefault('noop_with_empty_axes', 0);
  if (n.attrs.int('keepdims', 1) !== 0) n.fail('only keepdims 0 is supported');
  const axes = n.ints(1) ?? [];
  if (axes.length !== 1) n.fail(`only one axis is supported, got [${axes.join(', ')}]`);
  const rank = n.shape(n.x).length;
  return new Sum(axes[0]! < 0 ? axes[0]! + rank : axes[0]!, { useWeights: false, name: n.name });
}

export const COMBINE: Record<string, Importer> = {
  Concat: concat,
  Split: split,
  Sum: (n) => (n.dynamicInputs.length === 1 ? new Identity({ name: n.name }) : new Add({ name: n.name })),
  Add: binary('Add'),
  Mul: binary('Mul'),
  ReduceSum: reduceSum,
};
