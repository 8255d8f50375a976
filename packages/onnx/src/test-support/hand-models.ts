import { encodeModel } from '../proto/onnx-proto.js';
import type { AttributeProto, NodeProto, TensorProto } from '../proto/onnx-types.js';

/** A float32 graph input or output of a hand-written model, the batch symbolic. */
const info = (name: string, shape: readonly number[]) => ({
  name,
  type: { tensor_type: { elem_type: 1, shape: { dim: shape.map((d, i) => (i === 0 ? { dim_param: 'N' } : { dim_value: d })) } } },
});

/** A model of one node, as other exporters write them: `x` in, the node's outputs out, constants as initializers. */
export function oneNodeModel(node: { op: string; inputs?: string[]; outputs?: string[]; attrs?: AttributeProto[]; domain?: string }, opts: { shape: number[]; initializers?: TensorProto[]; opset?: number }): Uint8Array {
  const outputs = node.outputs ?? ['y'];
  const proto: NodeProto = { name: 'the_node', op_type: node.op, input: ['x', ...(node.inputs ?? [])], output: outputs, attribute: node.attrs ?? [], domain: node.domain ?? '' };
  return encodeModel({
    ir_version: 8,
    opset_import: [{ domain: '', version: opts.opset ?? 17 }],
    graph: { name: 'hand', node: [proto], initializer: opts.initializers ?? [], input: [info('x', opts.shape)], output: outputs.map((o) => ({ name: o })) },
  });
}
