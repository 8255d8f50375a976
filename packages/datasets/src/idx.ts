import { DatasetError } from './dataset-error.js';

export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

interface IdxCodec {
  code: number;
  size: number;
  get(view: DataView, at: number): number;
  put(view: DataView, at: number, value: number): void;
}

/** The element types of the IDX format, keyed by name; `code` is the third byte of the magic number. */
const CODECS: Record<IdxType, IdxCodec> = {
  uint8: { code: 0x08, size: 1, get: (v, p) => v.getUint8(p), put: (v, p, x) => v.setUint8(p, x) },
  int8: { code: 0x09, size: 1, get: (v, p) => v.getInt8(p), put: (v, p, x) => v.setInt8(p, x) },
  int16: { code: 0x0b, size: 2, get: (v, p) => v.getInt16(p), put: (v, p, x) => v.setInt16(p, x) },
  int32: { code: 0x0c, size: 4, get: (v, p) => v.getInt32(p), put: (v, p, x) => v.setInt32(p, x) },
  float32: { code: 0x0d, size: 4, get: (v, p) => v.getFloat32(p), put: (v, p, x) => v.setFloat32(p, x) },
  float64: { code: 0x0e, size: 8, get: (v, p) => v.getFloat64(p), put: (v, p, x) => v.setFloat64(p, x) },
};

/** The content of an IDX file, values in file (C) order. */
export interface IdxArray {
  type: IdxType;
  shape: number[];
  /** uint8 files (all of MNIST) stay bytes; other types decode to Float64Array. */
  data: Uint8Array | Float64Array;
}

/** The magic number as a big-endian uint32: two zero bytes, the type code, the number of dims. */
export function idxMagic(type: IdxType, ndim: number): number {
  return (CODECS[type].code << 8) | ndim;
}

function typeOfCode(code: number): IdxType | undefined {
  return (Object.keys(CODECS) as IdxType[]).find((t) => CODECS[t].code === code);
}

/** Parses an IDX file (LeCun's format: big-endian header and data). `what` names the file in errors. */
export function readIdx(bytes: Uint8Array, what = 'IDX data'): IdxArray {
  if (bytes.length < 4) throw new DatasetError(`${what}: ${bytes.length} bytes is too short for an IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const type = typeOfCode(bytes[2]!);
  if (bytes[0] !== 0 || bytes[1] !== 0 || type === undefined) {
    throw new DatasetError(`${what}: bad magic number ${magic} (0x${magic.toString(16).padStart(8, '0')}), not an IDX file`);
  }
  const ndim = bytes[3]!;
  const headerSize = 4 + 4 * ndim;
  if (bytes.length < headerSize) throw new DatasetError(`${what}: the header of ${ndim} dims is truncated`);
  const shape = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i));
  const count = shape.reduce((a, b) => a * b, 1);
  const { size, get } = CODECS[type];
  if (bytes.length < headerSize + count * size) {
    throw new DatasetError(`${what}: shape (${shape.join(', ')}) needs ${headerSize + count * size} bytes, the file has ${bytes.length}`);
  }
  if (type === 'uint8') return { type, shape, data: bytes.slice(headerSize, headerSize + count) };
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = get(view, headerSize + i * size);
  return { type, shape, data };
}

/** Encodes values as an IDX file. */
export function writeIdx(array: { type: IdxType; shape: readonly number[]; data: ArrayLike<number> }): Uint8Array {
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (count !== array.data.length) {
    throw new DatasetError(`writeIdx: ${array.data.length} values do not fit shape (${array.shape.join(', ')})`);
  }
  const { size, put } = CODECS[array.type];
  const headerSize = 4 + 4 * array.shape.length;
  const bytes = new Uint8Array(headerSize + count * size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, idxMagic(array.type, array.shape.length));
  array.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  for (let i = 0; i < count; i++) put(view, headerSize + i * size, array.data[i]!);
  return bytes;
}
