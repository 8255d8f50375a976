import { HostArray } from '@puzzle/backend';
import { describe, expect, it } from 'vitest';
import { OnnxError } from '../onnx-error.js';
import { Attributes, attr } from './attributes.js';
import { decodeModel, encodeModel } from './onnx-proto.js';
import { DataType } from './onnx-types.js';
import { hostFromValues, int64Tensor, readTensor, tensorFromHost } from './tensors.js';

describe('ONNX protobuf layer', () => {
  it('encodes a model and decodes it back, 64-bit integers as numbers', () => {
    const bytes = encodeModel({
      ir_version: 8,
      opset_import: [{ domain: '', version: 17 }],
      graph: { name: 'g', node: [{ op_type: 'Relu', input: ['x'], output: ['y'], attribute: [attr.ints('perm', [2, 0, 1])] }], initializer: [int64Tensor('s', [3, -1])] },
    });
    const model = decodeModel(bytes);
    expect(model.ir_version).toBe(8);
    expect(model.opset_import).toEqual([{ domain: '', version: 17 }]);
    const node = model.graph!.node![0]!;
    expect([node.op_type, node.input, node.output]).toEqual(['Relu', ['x'], ['y']]);
    expect(new Attributes(node, 'node').ints('perm', null)).toEqual([2, 0, 1]);
    expect(readTensor(model.graph!.initializer![0]!, 's').data).toEqual([3, -1]);
  });

  it('stores float32 and float16 host arrays as raw bytes and reads every stored form back', () => {
    const f32 = HostArray.from([1.5, -2, 3], { shape: [3] });
    expect(hostFromValues(readTensor(tensorFromHost('a', f32, [1, 3]), 'a'), [3], 'a').data).toEqual(f32.data);
    const f16 = HostArray.from([0.5, 2], { dtype: 'float16' });
    expect(hostFromValues(readTensor(tensorFromHost('h', f16), 'h'), [2], 'h')).toEqual(f16);
    expect(readTensor({ dims: [2], data_type: DataType.FLOAT, float_data: [4, 5] }, 'f').data).toEqual(Float32Array.from([4, 5]));
    expect(readTensor({ dims: [1], data_type: DataType.INT64, int64_data: [7] }, 'i').data).toEqual([7]);
  });

  it('refuses bytes that are not a model, tensors it cannot hold, attributes of the wrong type', () => {
    expect(() => decodeModel(Uint8Array.from([0xff, 0xff, 0xff]))).toThrow(OnnxError);
    expect(() => readTensor({ dims: [1], data_type: 8 }, "initializer 'w'")).toThrow(/initializer 'w': element type 8 is not supported/);
    expect(() => readTensor({ dims: [3], data_type: DataType.FLOAT, float_data: [1] }, 'w')).toThrow(/1 values do not fit dims \[3\]/);
    expect(() => readTensor({ dims: [1], data_type: DataType.FLOAT, data_location: 1 }, 'w')).toThrow(/stored outside the model file/);
    expect(() => new Attributes({ attribute: [attr.float('axis', 1)] }, "node 'n'").int('axis', 0)).toThrow(/node 'n': attribute 'axis' has type 1, expected 2/);
  });
});
