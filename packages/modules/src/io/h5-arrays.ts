import { HostArray, type DType } from '@puzzle/backend';
import { createDataset, verifiedValue } from './checksums.js';
import type { H5Dataset, H5Group } from './h5-file.js';

/** HDF5 (numpy-style) type codes of the device dtypes. */
const FILE_DTYPE: Record<DType, string> = { float32: '<f', int32: '<i', float16: '<e' };

/** numpy's name for an HDF5 type code, for messages ("<f" → float32). */
const NUMPY_NAMES: Record<string, string> = {
  '<e': 'float16', '<f': 'float32', '<d': 'float64',
  '<b': 'int8', '<h': 'int16', '<i': 'int32', '<q': 'int64',
  '<B': 'uint8', '<H': 'uint16', '<I': 'uint32', '<Q': 'uint64',
};

/** What numpy's `astype(casting="safe")` accepts, per target dtype: no value can change on the way. */
const SAFE_SOURCES: Record<DType, string[]> = {
  float32: ['float16', 'float32', 'int8', 'int16', 'uint8', 'uint16'],
  int32: ['int8', 'int16', 'int32', 'uint8', 'uint16'],
  float16: ['float16', 'int8', 'uint8'],
};

export function fileDtypeName(dtype: unknown): string {
  return typeof dtype === 'string' ? (NUMPY_NAMES[dtype] ?? dtype) : JSON.stringify(dtype);
}

export function canCastSafely(fileDtype: string, target: DType): boolean {
  return SAFE_SOURCES[target].includes(fileDtype);
}

/** Writes a host array as a dataset; arrays with elements are gzip-compressed in one chunk (as h5py does with compression="gzip"). */
export function writeArray(group: H5Group, name: string, host: HostArray, compress = true): void {
  if (host.dtype === 'float16') throw new Error(`cannot write float16 dataset '${name}': h5wasm has no float16 support yet`);
  const shape = [...host.shape];
  const chunked = compress && shape.length > 0 && host.size > 0;
  createDataset(group, {
    name,
    data: host.data as Float32Array | Int32Array,
    shape,
    dtype: FILE_DTYPE[host.dtype],
    ...(chunked ? { chunks: shape, compression: 'gzip' as const, compression_opts: 4 } : {}),
  });
}

/** A scalar int64 dataset: the form of PuzzleLib's links (h5py stores a Python int as int64). */
export function writeScalarInt(group: H5Group, name: string, value: number): void {
  createDataset(group, { name, data: BigInt64Array.of(BigInt(value)), shape: [], dtype: '<q' });
}

export function readScalarInt(dataset: H5Dataset): number {
  const value = verifiedValue(dataset);
  const first = ArrayBuffer.isView(value) ? (value as unknown as ArrayLike<number | bigint>)[0] : value;
  if (typeof first !== 'number' && typeof first !== 'bigint') throw new Error(`${dataset.path} is not an integer`);
  return Number(first);
}

export interface StoredArray {
  /** numpy name of the stored dtype. */
  dtype: string;
  shape: number[];
  read(): ArrayLike<number>;
}

/** Shape and dtype of a dataset, with its values read on demand. */
export function describeArray(dataset: H5Dataset): StoredArray {
  return {
    dtype: fileDtypeName(dataset.dtype),
    shape: dataset.shape ?? [],
    read: () => {
      const value = verifiedValue(dataset);
      if (!ArrayBuffer.isView(value) || value instanceof BigInt64Array || value instanceof BigUint64Array) {
        return Array.from((Array.isArray(value) ? value : [value]) as (number | bigint)[], Number);
      }
      return value as unknown as ArrayLike<number>;
    },
  };
}

/** The stored values converted to a host array of `dtype` (the caller has checked the cast is safe). */
export function toHost(stored: StoredArray, dtype: DType): HostArray {
  return HostArray.from(stored.read(), { shape: stored.shape, dtype });
}
