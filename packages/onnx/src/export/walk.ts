import { Graph, nodeInput, Parallel, Sequential, type Flow as EdgeFlow } from '@puzzle/containers';
import type { Module, Node, ShapeOf } from '@puzzle/modules';
import { OnnxError } from '../onnx-error.js';
import { checkedOutputShape } from '../shape-check.js';
import { ModuleExport, where } from './converter.js';
import { converterFor } from './converters/index.js';
import type { GraphBuilder } from './graph-builder.js';
import { isValue, shapesOfFlow, valuesFrom, valuesOf, type Flow } from './values.js';

export interface WalkContext {
  builder: GraphBuilder;
  opset: number;
  /** Whether values carry their shape at a second batch size. */
  dynamicBatch: boolean;
}

const child = (path: string, mod: Module) => (path === '' ? (mod.name ?? '') : `${path}.${mod.name ?? ''}`);
const valueFlow: EdgeFlow<Flow> = { isList: (f) => !isValue(f) };

/** Emits the nodes of `mod` (a container's children in their order) and returns its output values. */
export function emit(mod: Module, path: string, input: Flow, ctx: WalkContext): Flow {
  if (mod.constructor === Sequential) return (mod as Sequential).graph.reduce((x, m) => emit(m, child(path, m), x, ctx), input);
  if (mod.constructor === Parallel) return emitParallel(mod as Parallel, path, input, ctx);
  if (mod.constructor === Graph) return emitGraph(mod as Graph, path, input, ctx);
  return emitLeaf(mod, path, input, ctx);
}

function emitParallel(par: Parallel, path: string, input: Flow, ctx: WalkContext): Flow {
  if (isValue(input) || input.length !== par.graph.length) {
    throw new OnnxError(`${par.describe()} at ${where(path)} expects a list of ${par.graph.length} inputs, got ${isValue(input) ? 'one' : input.length}`);
  }
  return par.graph.map((m, i) => emit(m, child(path, m), input[i]!, ctx));
}

/** A Graph's nodes are held in the order its constructor reached them from the inputs: an order parents come first in. */
function emitGraph(graph: Graph, path: string, input: Flow, ctx: WalkContext): Flow {
  const inputs = graph.inputs.length === 1 ? [input] : input;
  if (isValue(inputs) || inputs.length !== graph.inputs.length) {
    throw new OnnxError(`${graph.describe()} at ${where(path)} expects a list of ${graph.inputs.length} inputs`);
  }
  const outputs = new Map<Node, Flow>();
  for (const node of graph.nodes.values()) {
    const index = graph.inputs.indexOf(node);
    const x = index >= 0 ? inputs[index]! : nodeInput(node, (n) => outputs.get(n)!, valueFlow);
    outputs.set(node, emit(node.module, child(path, node.module), x, ctx));
  }
  const result = graph.outputs.map((n) => outputs.get(n)!);
  return result.length === 1 ? result[0]! : result;
}

function emitLeaf(mod: Module, path: string, input: Flow, ctx: WalkContext): Flow {
  const entry = converterFor(mod, path);
  const shape = outputShape(mod, path, shapesOfFlow(input, 'shape'), '');
  const alt = ctx.dynamicBatch ? outputShape(mod, path, shapesOfFlow(input, 'alt'), ' at another batch size (export with dynamicBatch: false)') : null;
  const names = entry.convert(mod, new ModuleExport(mod, path, input, ctx.builder, ctx.opset));
  const dtype = entry.outputDtype?.(mod) ?? valuesOf(input)[0]?.dtype ?? 'float32';
  return valuesFrom(names, shape, alt, dtype);
}

/** The module's output shape for an input shape, checked as a call would check it; a failure names the module's path. */
function outputShape(mod: Module, path: string, shape: ShapeOf, context: string): ShapeOf {
  try {
    return checkedOutputShape(mod, shape);
  } catch (e) {
    throw new OnnxError(`${mod.describe()} at ${where(path)} does not take its input${context}: ${e instanceof Error ? e.message : String(e)}`, e);
  }
}
