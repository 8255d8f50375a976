import { HostArray, type DType, type TypedArray } from '@puzzle/backend';
import { OnnxError } from '../onnx-error.js';
import { DataType, type TensorProto } from './onnx-types.js';

const ONNX_TYPE: Record<DType, number> = { float32: DataType.FLOAT, float16: DataType.FLOAT16, int32: DataType.INT32 };

/** The ONNX element type of a Puzzle dtype. */
export function onnxType(dtype: DType): number {
  return ONNX_TYPE[dtype];
}

/** The Puzzle dtype of an ONNX element type, or null where Puzzle has none. */
export function puzzleType(dataType: number): DType | null {
  const found = Object.entries(ONNX_TYPE).find(([, t]) => t === dataType);
  return found ? (found[0] as DType) : null;
}

/** A copy of the bytes of `data` (ONNX raw_data is little-endian, as is every platform Node runs on). */
function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

/** An initializer holding `host`, stored as raw bytes under `dims` (the host shape unless given). */
export function tensorFromHost(name: string, host: HostArray, dims: readonly number[] = host.shape): TensorProto {
  return { name, dims: [...dims], data_type: onnxType(host.dtype), raw_data: bytesOf(host.data) };
}

/** An int64 initializer: ONNX takes shapes, axes, pads and sizes as int64 tensors. */
export function int64Tensor(name: string, values: readonly number[], dims: readonly number[] = [values.length]): TensorProto {
  return { name, dims: [...dims], data_type: DataType.INT64, raw_data: bytesOf(BigInt64Array.from(values, BigInt)) };
}

/** The values of a tensor read from a model. */
export interface TensorValues {
  dims: number[];
  dataType: number;
  /** float32, float16 bits, int32 and float64 in their typed arrays; int64 and bool as plain numbers. */
  data: TypedArray | Float64Array | number[];
}

/**
 * The raw bytes in a buffer of their own: decoded bytes may be a Buffer view into a shared pool, at any offset, and
 * Buffer's slice() is a view too, so they are copied element by element.
 */
type Decoder = (raw: ArrayBuffer | null, t: TensorProto) => TensorValues['data'];

/** Each supported element type: from raw bytes or from the typed fields. */
const DECODERS: Record<number, Decoder> = {
  [DataType.FLOAT]: (raw, t) => (raw ? new Float32Array(raw) : Float32Array.from(t.float_data ?? [])),
  [DataType.FLOAT16]: (raw, t) => (raw ? new Uint16Array(raw) : Uint16Array.from(t.int32_data ?? [])),
  [DataType.INT32]: (raw, t) => (raw ? new Int32Array(raw) : Int32Array.from(t.int32_data ?? [])),
  [DataType.DOUBLE]: (raw, t) => (raw ? new Float64Array(raw) : Float64Array.from(t.double_data ?? [])),
  [DataType.INT64]: (raw, t) => (raw ? Array.from(new BigInt64Array(raw), Number) : [...(t.int64_data ?? [])]),
  [DataType.BOOL]: (raw, t) => (raw ? Array.from(new Uint8Array(raw)) : [...(t.int32_data ?? [])]),
};

/** Decodes a tensor; `what` names it in errors (an element type Puzzle cannot hold, external data). */
export function readTensor(t: TensorProto, what: string): TensorValues {
  if (t.data_location === 1) throw new OnnxError(`${what}: tensors stored outside the model file are not supported`);
  const dataType = t.data_type ?? 0;
  const decode = DECODERS[dataType];
  if (!decode) throw new OnnxError(`${what}: element type ${dataType} is not supported (float, float16, double, int32, int64, bool)`);
  const dims = [...(t.dims ?? [])];
  const data = decode(t.raw_data && t.raw_data.length > 0 ? new Uint8Array(t.raw_data).buffer : null, t);
  const size = dims.reduce((p, d) => p * d, 1);
  if (data.length !== size) throw new OnnxError(`${what}: ${data.length} values do not fit dims [${dims.join(', ')}]`);
  return { dims, dataType, data };
}

/** A float tensor as a host array of `shape` (float16 stays float16; float64 is rounded to float32). */
export function hostFromValues(v: TensorValues, shape: readonly number[], what: string): HostArray {
  if (v.dataType === DataType.FLOAT16) return new HostArray(v.data as Uint16Array, shape, 'float16');
  if (v.dataType === DataType.FLOAT || v.dataType === DataType.DOUBLE) return new HostArray(Float32Array.from(v.data as ArrayLike<number>), shape, 'float32');
  throw new OnnxError(`${what}: expected a float tensor, got element type ${v.dataType}`);
}
