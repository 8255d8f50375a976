import { Embedder, Linear } from '@puzzle/modules';
import { attr } from '../../proto/attributes.js';
import { entry, type ConverterEntry } from '../converter.js';

/** Linear: y = x·W + b is Gemm; a transposed Linear stores W (outsize, insize), which is Gemm's transB. */
const linear = entry(Linear, (mod, e) => {
  const inputs = [e.x.name, e.param('W')];
  if (mod.useBias) inputs.push(e.param('b'));
  return e.builder.op('Gemm', inputs, e.name, [attr.int('transB', mod.transpose ? 1 : 0)]);
});

/**
 * Embedder: Gather of rows of W. Puzzle maps index −1 to a zero row, and ONNX's Gather reads −1 as the last row,
 * so the table gathered from is W with a zero row appended (a Pad that onnxruntime folds once at load); W itself
 * stays the initializer, unchanged.
 */
const embedder = entry(
  Embedder,
  (_mod, e) => {
    const table = e.builder.op('Pad', [e.param('W'), e.builder.int64s(`${e.name}/zero_row`, [0, 0, 1, 0])], `${e.name}/zero_row`);
    return e.builder.op('Gather', [table, e.x.name], e.name, [attr.int('axis', 0)]);
  },
  (mod) => mod.W.dtype,
);

export const DENSE: ConverterEntry[] = [linear, embedder];
