import type { Graph, Sequential } from '@puzzle/containers';
import { Cast, Embedder, Split, type Module, type ShapeOf } from '@puzzle/modules';
import { OnnxError } from '../onnx-error.js';
import { checkOpset } from '../opset.js';
import { checkedOutputShape } from '../shape-check.js';
import { decodeModel } from '../proto/onnx-proto.js';
import type { GraphProto, ModelProto, NodeProto } from '../proto/onnx-types.js';
import { assemble, type Layer } from './assemble.js';
import { IMPORTERS, importableOps } from './importers/index.js';
import { NodeImport } from './node-import.js';
import { ValueTable } from './value-table.js';

/**
 * Reads an ONNX model of the subset exportOnnx writes into a Puzzle net with its parameters loaded: a Sequential
 * where the nodes form a chain, else a Graph, in eval mode (call trainMode() to fine-tune it). Each module is named
 * after its node, so a model exported from Puzzle comes back with its variables under their old names. An op
 * outside the subset is an OnnxError naming the op and the node.
 */
export function importOnnx(bytes: Uint8Array): Sequential | Graph {
  const model = decodeModel(bytes);
  const opset = defaultOpset(model);
  const graph = model.graph;
  if (!graph) throw new OnnxError('importOnnx: the model has no graph');
  const values = new ValueTable(graph);
  const layers: Layer[] = [];
  const names = new Set<string>();
  try {
    for (const [i, node] of liveNodes(graph, values).entries()) layers.push(importNode(node, moduleName(node, i, names), values, opset));
    const outputs = (graph.output ?? []).map((o) => o.name ?? '');
    for (const o of outputs) if (!values.shapes.has(o)) throw new OnnxError(`importOnnx: graph output '${o}' is not computed from the inputs`);
    const net = assemble(layers, values.inputs, outputs, names);
    net.evalMode();
    return net;
  } catch (e) {
    for (const layer of layers) layer.module.dispose();
    throw e;
  }
}

/** The version of the default ONNX domain the model imports. */
function defaultOpset(model: ModelProto): number {
  const entry = (model.opset_import ?? []).find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx');
  if (!entry) throw new OnnxError('importOnnx: the model imports no version of the default ONNX domain');
  checkOpset(entry.version ?? 0, 'importOnnx');
  return entry.version!;
}

/** The nodes whose outputs the graph's outputs need, leaving out those computed from constants alone. */
function liveNodes(graph: GraphProto, values: ValueTable): NodeProto[] {
  const needed = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  const live: NodeProto[] = [];
  for (const node of [...(graph.node ?? [])].reverse()) {
    const outputs = node.output ?? [];
    if (!outputs.some((o) => needed.has(o)) || outputs.every((o) => !values.isDynamic(o))) continue;
    for (const i of node.input ?? []) needed.add(i);
    live.push(node);
  }
  return live.reverse();
}

/** The node's own name when it has a unique one, else its op and position. */
function moduleName(node: NodeProto, index: number, names: Set<string>): string {
  let name = node.name && !names.has(node.name) ? node.name : `${node.op_type ?? 'node'}_${index}`;
  for (let k = 1; names.has(name); k++) name = `${node.op_type ?? 'node'}_${index}_${k}`;
  names.add(name);
  return name;
}

/** The module of one node; its output shapes and dtypes are recorded for the nodes that read them. */
function importNode(node: NodeProto, name: string, values: ValueTable, opset: number): Layer {
  const n = new NodeImport(node, name, values, opset);
  const importer = (node.domain ?? '') === '' || node.domain === 'ai.onnx' ? IMPORTERS[n.op] : undefined;
  if (!importer) throw new OnnxError(`${n.where}${node.domain ? ` (domain ${node.domain})` : ''}: op ${n.op} is not supported; importOnnx reads ${importableOps().join(', ')}`);
  let module: Module | null = null;
  try {
    module = importer(n);
    return recordOutputs(n, module);
  } catch (e) {
    module?.dispose();
    if (e instanceof OnnxError) throw e;
    throw new OnnxError(`${n.where}: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}

/**
 * The layer of a node's module, after its output shapes (from the module's own checks and shape inference) and
 * dtypes are noted. Only Split returns a list; the other outputs ONNX ops may have (Dropout's mask) are not read.
 */
function recordOutputs(n: NodeImport, module: Module): Layer {
  const inputs = n.dynamicInputs;
  const shape = checkedOutputShape(module, inputs.length === 1 ? n.shape(inputs[0]!) : inputs.map((v) => n.shape(v)));
  const listOutput = module instanceof Split;
  const outputs = (n.node.output ?? []).filter((o, k) => o !== '' && (k === 0 || listOutput));
  const dtype = module instanceof Cast ? module.outtype : module instanceof Embedder ? module.W.dtype : n.dtype(inputs[0]!);
  outputs.forEach((o, k) => {
    n.values.shapes.set(o, (listOutput ? (shape as ShapeOf[])[k] : shape) as readonly number[]);
    n.values.dtypes.set(o, dtype);
  });
  return { module, inputs, outputs, listOutput };
}
