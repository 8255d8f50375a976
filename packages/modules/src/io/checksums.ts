import { crc32 } from 'node:zlib';
import type { H5Dataset, H5Group } from './h5-file.js';
import { IoProblem } from './io-cause.js';

/** The attribute every dataset we write carries: the CRC-32 of its values as stored (little-endian bytes, or UTF-8). */
export const CHECKSUM_ATTRIBUTE = 'puzzle_crc32';

type Values = ArrayBufferView | string;

function checksumOf(values: Values): number {
  return typeof values === 'string' ? crc32(values) : crc32(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

export type DatasetArgs = Parameters<H5Group['create_dataset']>[0] & { data: Values };

/** group.create_dataset, with the checksum of the values attached. */
export function createDataset(group: H5Group, args: DatasetArgs): H5Dataset {
  const dataset = group.create_dataset(args);
  dataset.create_attribute(CHECKSUM_ATTRIBUTE, Uint32Array.of(checksumOf(args.data)), [], '<I');
  return dataset;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/**
 * The dataset's values, verified against the checksum written with them: flipped bytes are an error, never weights.
 * Files without the attribute (PuzzleLib's, h5py's) load unverified.
 */
export function verifiedValue(dataset: H5Dataset): unknown {
  const value = dataset.value;
  if (!Object.keys(dataset.attrs).includes(CHECKSUM_ATTRIBUTE)) return value;
  const recorded = Number(dataset.get_attribute(CHECKSUM_ATTRIBUTE, false));
  const values = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (typeof values !== 'string' && !ArrayBuffer.isView(values)) return value;
  const found = checksumOf(values);
  if (found !== recorded) {
    throw new IoProblem(null, `dataset '${dataset.path}' is corrupt: its values have CRC-32 ${hex(found)}, the file recorded ${hex(recorded)}`);
  }
  return value;
}
