import { DTYPES, type DType } from '@puzzle/backend';
import { OnnxError } from '../onnx-error.js';
import type { DimensionProto, ValueInfoProto } from '../proto/onnx-types.js';
import { onnxType } from '../proto/tensors.js';
import type { Value } from './values.js';

/** One input of the exported graph. */
export interface OnnxInput {
  /** Its shape at export, batch first: with a dynamic batch, dim 0 becomes symbolic and the others stay fixed. */
  shape: readonly number[];
  /** float32 (default), float16, or int32 (Embedder indices). */
  dtype?: DType;
  /** The graph input's name: 'input' for a single input, else 'input0', 'input1', ... */
  name?: string;
}

/** The symbolic name of the batch dimension. */
const BATCH = 'batch';

/** The values of the graph inputs: `alt` moves every batch by one, to find the dims of other values that follow it. */
export function inputValues(inputs: readonly OnnxInput[], dynamicBatch: boolean): Value[] {
  if (inputs.length === 0) throw new OnnxError('exportOnnx needs at least one input');
  return inputs.map((input, i) => {
    const shape = [...input.shape];
    const what = `input ${i}`;
    if (shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new OnnxError(`exportOnnx: ${what} has shape [${shape.join(', ')}]; expected positive integer dims, batch first`);
    }
    const dtype = input.dtype ?? 'float32';
    if (!DTYPES.includes(dtype)) throw new OnnxError(`exportOnnx: ${what} has dtype '${String(dtype)}' (expected ${DTYPES.join(', ')})`);
    const name = input.name ?? (inputs.length === 1 ? 'input' : `input${i}`);
    return { name, shape, alt: dynamicBatch ? [shape[0]! + 1, ...shape.slice(1)] : null, dtype };
  });
}

/** A graph input or output: its dtype and shape, the dims that follow the batch symbolic. */
export function valueInfo(value: Value, batch: number | null): ValueInfoProto {
  const dim = value.shape.map((d, i): DimensionProto => {
    const alt = value.alt?.[i];
    if (alt === undefined || alt === d) return { dim_value: d };
    return { dim_param: d === batch && alt === batch + 1 ? BATCH : `${value.name}_dim${i}` };
  });
  return { name: value.name, type: { tensor_type: { elem_type: onnxType(value.dtype), shape: { dim } } } };
}
