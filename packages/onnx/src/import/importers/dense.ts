import { Embedder, Linear, Slice, type Module } from '@puzzle/modules';
import type { NodeProto } from '../../proto/onnx-types.js';
import { NodeImport } from '../node-import.js';
import { load, type Importer } from './importer.js';

/** Gemm with a constant weight: a Linear, transposed when B is stored (outsize, insize). */
function gemm(n: NodeImport): Module {
  for (const [name, value] of [['alpha', 1], ['beta', 1]] as const) {
    if (n.attrs.float(name, 1) !== value) n.fail(`${name} = ${n.attrs.float(name, 1)} is not supported (only 1)`);
  }
  n.requireDefault('transA', 0);
  const transpose = n.attrs.int('transB', 0) === 1;
  const B = n.constant(1)!;
  if (B.dims.length !== 2) n.fail(`B must be a 2-D constant, has dims [${B.dims.join(', ')}]`);
  const [insize, outsize] = transpose ? [B.dims[1]!, B.dims[0]!] : [B.dims[0]!, B.dims[1]!];
  const useBias = n.input(2) !== null;
  const mod = new Linear(insize, outsize, { transpose, useBias, empty: true, name: n.name });
  load(mod, 'W', n.param(1, B.dims));
  if (useBias) load(mod, 'b', n.param(2, [outsize]));
  return mod;
}

/**
 * Gather rows of a constant table by computed indices: an Embedder. A table padded by one zero row (Puzzle's export
 * of the index −1) loads the table without it. Gather of a computed array at a constant scalar index is a Slice.
 */
function gather(n: NodeImport): Module {
  const axis = n.attrs.int('axis', 0);
  const data = n.input(0)!;
  if (n.values.isDynamic(data)) {
    const index = n.ints(1);
    if (index === null || n.constant(1)!.dims.length !== 0) n.fail('a computed array is gathered only at a constant scalar index');
    const rank = n.shape(data).length;
    const at = axis < 0 ? axis + rank : axis;
    return new Slice([...new Array<null>(at).fill(null), index[0]!], { name: n.name });
  }
  return embedder(n, axis);
}

function embedder(n: NodeImport, axis: number): Module {
  if (axis !== 0) n.fail(`an embedding gathers rows (axis 0), not axis ${axis}`);
  const indices = n.shape(n.x);
  if (indices.length !== 2 || n.dtype(n.x) !== 'int32') n.fail('an embedding takes (batch, length) int32 indices');
  const padded = n.values.derived.get(n.input(0)!);
  const table = padded ? zeroRowPadded(n, padded) : n;
  const W = table.constant(0)!;
  const mod = new Embedder(W.dims[0]!, indices[1]!, W.dims[1]!, { name: n.name });
  load(mod, 'W', table.param(0, W.dims));
  return mod;
}

/** The Pad node that appends one zero row to a constant table, as a node whose input 0 is the table itself. */
function zeroRowPadded(n: NodeImport, pad: NodeProto): NodeImport {
  const padNode = new NodeImport(pad, n.name, n.values, n.opset);
  const zeroRow = () => padNode.ints(1)?.join(',') === '0,0,1,0' && padNode.scalar(2, 0) === 0 && padNode.attrs.string('mode', 'constant') === 'constant';
  if (pad.op_type !== 'Pad' || !zeroRow()) n.fail(`the table is computed by ${pad.op_type} node '${pad.name ?? ''}', not a constant`);
  return padNode;
}

export const DENSE: Record<string, Importer> = { Gemm: gemm, Gather: gather };
