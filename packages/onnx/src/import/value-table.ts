import type { DType } from '@puzzle/backend';
import { OnnxError } from '../onnx-error.js';
import { Attributes } from '../proto/attributes.js';
import type { GraphProto, NodeProto, TensorProto, ValueInfoProto } from '../proto/onnx-types.js';
import { puzzleType } from '../proto/tensors.js';

/**
 * What the importer knows of each value of an ONNX graph: the constants (initializers and Constant nodes), the
 * values computed from constants alone (by the node that computes them), and the shape and dtype of every value
 * the net computes, filled in as modules are made.
 */
export class ValueTable {
  readonly constants = new Map<string, TensorProto>();
  /** Values computed from constants only, by their node: read by converters that recognise the node. */
  readonly derived = new Map<string, NodeProto>();
  readonly shapes = new Map<string, readonly number[]>();
  readonly dtypes = new Map<string, DType>();
  /** The graph inputs the net computes from (not initializers listed as inputs, as older exporters do). */
  readonly inputs: string[];

  constructor(graph: GraphProto) {
    for (const t of graph.initializer ?? []) this.constants.set(t.name ?? '', t);
    for (const node of graph.node ?? []) this.noteConstant(node);
    const inputs = (graph.input ?? []).filter((v) => !this.constants.has(v.name ?? ''));
    for (const v of inputs) this.addInput(v);
    this.inputs = inputs.map((v) => v.name ?? '');
  }

  isDynamic(name: string): boolean {
    return name !== '' && !this.constants.has(name) && !this.derived.has(name);
  }

  shape(name: string): readonly number[] {
    const shape = this.shapes.get(name);
    if (shape === undefined) throw new OnnxError(`value '${name}' is used before any node computes it (nodes must be in topological order)`);
    return shape;
  }

  private noteConstant(node: NodeProto): void {
    const outputs = node.output ?? [];
    if (node.op_type === 'Constant') {
      const value = new Attributes(node, `Constant node '${node.name ?? ''}'`);
      if (!value.has('value')) throw new OnnxError(`Constant node '${node.name ?? ''}': only the 'value' attribute is supported (has ${value.names().join(', ')})`);
      const tensor = node.attribute!.find((a) => a.name === 'value')!.t!;
      this.constants.set(outputs[0]!, { ...tensor, name: outputs[0]! });
    } else if ((node.input ?? []).every((i) => i === '' || this.constants.has(i) || this.derived.has(i))) {
      for (const o of outputs) this.derived.set(o, node);
    }
  }

  /** A graph input: its dtype, and its shape with a symbolic batch read as 1 (other dims must be fixed). */
  private addInput(v: ValueInfoProto): void {
    const name = v.name ?? '';
    const tensor = v.type?.tensor_type;
    const dtype = puzzleType(tensor?.elem_type ?? 0);
    if (dtype === null) throw new OnnxError(`graph input '${name}' has element type ${tensor?.elem_type ?? 'none'} (Puzzle takes float32, float16 and int32)`);
    const dims = tensor?.shape?.dim ?? [];
    const shape = dims.map((d, i) => {
      if (d.dim_value !== undefined && d.dim_value > 0) return d.dim_value;
      if (i === 0) return 1;
      throw new OnnxError(`graph input '${name}' needs a fixed size for dim ${i} (only the batch may be symbolic)`);
    });
    if (shape.length === 0) throw new OnnxError(`graph input '${name}' has no shape`);
    this.shapes.set(name, shape);
    this.dtypes.set(name, dtype);
  }
}
