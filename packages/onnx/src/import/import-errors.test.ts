import { HostArray } from '@puzzle/backend';
import { liveBuffers } from '@puzzle/testing';
import { describe, expect, it } from 'vitest';
import { OnnxError } from '../onnx-error.js';
import { attr } from '../proto/attributes.js';
import { encodeModel } from '../proto/onnx-proto.js';
import { tensorFromHost } from '../proto/tensors.js';
import { oneNodeModel } from '../test-support/hand-models.js';
import { importOnnx } from './import-onnx.js';

describe('importOnnx: what it refuses', () => {
  it('an op outside the subset, naming the op and the node', () => {
    const bytes = oneNodeModel({ op: 'Hardmax' }, { shape: [2, 4] });
    expect(() => importOnnx(bytes)).toThrow(OnnxError);
    expect(() => importOnnx(bytes)).toThrow(/Hardmax node 'the_node': op Hardmax is not supported; importOnnx reads .*Conv/);
  });

  it('an op of another domain', () => {
    expect(() => importOnnx(oneNodeModel({ op: 'FusedConv', domain: 'com.microsoft' }, { shape: [2, 4] }))).toThrow(/FusedConv node 'the_node' \(domain com.microsoft\): op FusedConv is not supported/);
  });

  it('an attribute value the module cannot take, after freeing the modules made so far', () => {
    const before = liveBuffers();
    const W = tensorFromHost('W', HostArray.randn([3, 4], { seed: 1 }));
    const model = encodeModel({
      ir_version: 8,
      opset_import: [{ domain: '', version: 17 }],
      graph: {
        node: [
          { name: 'fc', op_type: 'Gemm', input: ['x', 'W'], output: ['h'] },
          { name: 'pool', op_type: 'MaxPool', input: ['h'], output: ['y'], attribute: [attr.ints('kernel_shape', [2]), attr.int('ceil_mode', 1)] },
        ],
        initializer: [W],
        input: [{ name: 'x', type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_param: 'N' }, { dim_value: 3 }] } } } }],
        output: [{ name: 'y' }],
      },
    });
    expect(() => importOnnx(model)).toThrow(/MaxPool node 'pool': attribute ceil_mode = 1 is not supported \(only 0\)/);
    expect(liveBuffers()).toBe(before);
  });

  it('a weight computed by the graph, an old opset, a symbolic non-batch dim, bytes that are not ONNX', () => {
    expect(() => importOnnx(oneNodeModel({ op: 'Gemm', inputs: ['x'] }, { shape: [2, 2] }))).toThrow(/Gemm node 'the_node': input 1 \('x'\) must be a constant/);
    expect(() => importOnnx(oneNodeModel({ op: 'Relu' }, { shape: [2, 3], opset: 11 }))).toThrow(/importOnnx: opset 11 is not supported \(13 to 25\)/);
    const bytes = encodeModel({
      ir_version: 8,
      opset_import: [{ domain: '', version: 17 }],
      graph: { node: [{ op_type: 'Relu', input: ['x'], output: ['y'] }], input: [{ name: 'x', type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_value: 2 }, { dim_param: 'T' }] } } } }], output: [{ name: 'y' }] },
    });
    expect(() => importOnnx(bytes)).toThrow(/graph input 'x' needs a fixed size for dim 1/);
    expect(() => importOnnx(Uint8Array.from([1, 2, 3, 4, 5]))).toThrow(OnnxError);
  });
});
