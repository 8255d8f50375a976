import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Parallel } from '@puzzle/containers';
import type { Module } from '@puzzle/modules';
import { OnnxError } from '../onnx-error.js';
import { checkOpset, DEFAULT_OPSET, irVersionFor } from '../opset.js';
import { encodeModel } from '../proto/onnx-proto.js';
import type { GraphProto, ModelProto } from '../proto/onnx-types.js';
import { GraphBuilder } from './graph-builder.js';
import { inputValues, valueInfo, type OnnxInput } from './graph-io.js';
import { valuesOf, type Value } from './values.js';
import { emit } from './walk.js';

export interface ExportOptions {
  /** The net's inputs, in order: one for a net that takes an array, one per item for a net that takes a list. */
  inputs: OnnxInput | readonly OnnxInput[];
  /** The ONNX opset to write (default 17; 13 to 25). */
  opset?: number;
  /** Also write the model to this file (atomically: a temporary file renamed into place). */
  path?: string;
  /** Make the batch dimension symbolic, so the model runs at any batch size (default true). */
  dynamicBatch?: boolean;
  /** Names of the graph outputs, in the order of the net's (flattened) outputs: default 'output' or 'output0', ... */
  outputNames?: readonly string[];
}

/**
 * Converts a net to an ONNX model of its eval-mode forward (the net's mode is left as it is) and returns the model's
 * bytes, writing them to `path` too when given. Parameters become initializers named as getVarTable names them. A
 * module outside the supported subset is an OnnxError naming it and its path, and nothing is written.
 */
export async function exportOnnx(net: Module, opts: ExportOptions): Promise<Uint8Array> {
  const bytes = encodeModel(exportModel(net, opts));
  if (opts.path !== undefined) await writeAtomically(opts.path, bytes);
  return bytes;
}

/** The model as an object (the bytes' source; tests read it directly). */
export function exportModel(net: Module, opts: ExportOptions): ModelProto {
  const opset = opts.opset ?? DEFAULT_OPSET;
  checkOpset(opset, 'exportOnnx');
  const dynamicBatch = opts.dynamicBatch ?? true;
  const listed = Array.isArray(opts.inputs) ? (opts.inputs as readonly OnnxInput[]) : [opts.inputs as OnnxInput];
  const inputs = inputValues(listed, dynamicBatch);
  const builder = new GraphBuilder();
  for (const v of inputs) if (builder.claim(v.name) !== v.name) throw new OnnxError(`exportOnnx: two inputs are named '${v.name}'`);
  const takesList = net instanceof Parallel || inputs.length > 1;
  const outputs = valuesOf(emit(net, '', takesList ? inputs : inputs[0]!, { builder, opset, dynamicBatch }));
  const names = opts.outputNames ?? (outputs.length === 1 ? ['output'] : outputs.map((_, i) => `output${i}`));
  if (outputs.length !== names.length) throw new OnnxError(`exportOnnx: the net has ${outputs.length} outputs, outputNames lists ${names.length}`);
  const graph = finishGraph(builder, inputs, bindOutputs(builder, outputs, names, inputs), net);
  return {
    ir_version: irVersionFor(opset),
    opset_import: [{ domain: '', version: opset }],
    producer_name: 'Puzzle',
    producer_version: '0.1.0',
    doc_string: `${net.describe()}, exported by @puzzle/onnx`,
    graph,
  };
}

/**
 * Gives each output value its graph output name: the value is renamed where a node of the net writes it, else (a
 * graph input passed through, a value already bound to an earlier output) an Identity copies it.
 */
function bindOutputs(builder: GraphBuilder, outputs: Value[], names: readonly string[], inputs: Value[]): Value[] {
  const inputNames = new Set(inputs.map((v) => v.name));
  const bound = new Map<string, string>();
  return outputs.map((value, i) => {
    const name = names[i]!;
    if (inputNames.has(name) || names.indexOf(name) !== i) throw new OnnxError(`exportOnnx: the output name '${name}' is used twice`);
    const source = bound.get(value.name) ?? value.name;
    if (source !== name) builder.free(name);
    if (bound.has(value.name) || inputNames.has(source)) builder.node('Identity', [source], { name, outputs: [name] });
    else builder.rename(source, name);
    bound.set(value.name, name);
    return { ...value, name };
  });
}

function finishGraph(builder: GraphBuilder, inputs: Value[], outputs: Value[], net: Module): GraphProto {
  const batches = new Set(inputs.map((v) => v.shape[0]));
  const batch = batches.size === 1 ? inputs[0]!.shape[0]! : null;
  return {
    name: net.name ?? 'puzzle',
    node: builder.nodes,
    initializer: builder.initializers,
    input: inputs.map((v) => valueInfo(v, batch)),
    output: outputs.map((v) => valueInfo(v, batch)),
  };
}

async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, bytes);
    await rename(temp, target);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}
