import { HostArray } from '@puzzle/backend';
import { describeEngines } from '@puzzle/testing';
import { it } from 'vitest';
import { attr } from '../proto/attributes.js';
import { int64Tensor, tensorFromHost } from '../proto/tensors.js';
import { expectSameOutputs } from '../test-support/compare.js';
import { oneNodeModel } from '../test-support/hand-models.js';
import { runOnnx } from '../test-support/onnx-runtime.js';
import { puzzleOutputs } from '../test-support/puzzle-run.js';
import { importOnnx } from './import-onnx.js';

const w = (name: string, shape: number[], seed: number) => tensorFromHost(name, HostArray.randn(shape, { seed }));

/** Models as other exporters write them (PyTorch's Linear as Gemm with transB, ONNX's defaults left out). */
const FOREIGN = [
  { name: 'Gemm with transB (a PyTorch Linear)', shape: [2, 5], model: { op: 'Gemm', inputs: ['W', 'B'], attrs: [attr.int('transB', 1)] }, init: [w('W', [3, 5], 1), w('B', [3], 2)] },
  { name: 'AveragePool with pads, count_include_pad left at 0', shape: [2, 2, 5, 5], model: { op: 'AveragePool', attrs: [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])] } },
  { name: 'Resize nearest with the default half_pixel, round_prefer_floor', shape: [2, 2, 3, 4], model: { op: 'Resize', inputs: ['', 'scales'], attrs: [attr.string('mode', 'nearest')] }, init: [tensorFromHost('scales', HostArray.from([1, 1, 3, 2]))] },
  { name: 'Softmax over axis −1 of (N, C)', shape: [2, 6], model: { op: 'Softmax', attrs: [] } },
  { name: 'Conv with auto_pad VALID and no bias', shape: [2, 3, 6, 6], model: { op: 'Conv', inputs: ['W'], attrs: [attr.string('auto_pad', 'VALID'), attr.ints('strides', [2, 1])] }, init: [w('W', [4, 3, 3, 2], 3)] },
  { name: 'Split into equal pieces by the number of outputs', shape: [2, 6, 2], model: { op: 'Split', outputs: ['a', 'b', 'c'], attrs: [attr.int('axis', 1)] } },
  { name: 'Clip with only a lower bound', shape: [2, 7], model: { op: 'Clip', inputs: ['low'] }, init: [tensorFromHost('low', HostArray.from([-0.3], { shape: [] }))] },
  { name: 'Slice to the end with INT64_MAX', shape: [2, 5, 4], model: { op: 'Slice', inputs: ['s', 'e', 'a'] }, init: [int64Tensor('s', [1]), int64Tensor('e', [Number.MAX_SAFE_INTEGER]), int64Tensor('a', [1])] },
];

describeEngines('importOnnx: models written by other exporters, checked against onnxruntime', () => {
  for (const c of FOREIGN) {
    it(c.name, async () => {
      const bytes = oneNodeModel(c.model, { shape: c.shape, initializers: c.init ?? [] });
      const x = [HostArray.randn([3, ...c.shape.slice(1)], { seed: 4 })];
      const net = importOnnx(bytes);
      expectSameOutputs(puzzleOutputs(net, x, false), await runOnnx(bytes, x), c.name);
      net.dispose();
    });
  }
});
