import { readFile, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Dataset as H5Dataset, File as H5File, Group as H5Group } from 'h5wasm/node';
import { writeAtomically } from './atomic-write.js';
import { h5wasmLib, loadH5wasm } from './h5wasm-lib.js';
import { IoProblem, ioCause } from './io-cause.js';
import { removeStaleTemps, tempName } from './temp-files.js';
import { checkReadable } from './write-target.js';
export type { Dataset as H5Dataset, File as H5File, Group as H5Group } from 'h5wasm/node';
export { h5Reason } from './io-cause.js';

type H5Entity = ReturnType<H5File['get']>;

/** The dataset or group at `name` under `group`, or null when there is none of that kind. */
export function getDataset(group: H5Group | null, name: string): H5Dataset | null {
  const entity: H5Entity = group?.get(name) ?? null;
  return entity instanceof h5wasmLib().Dataset ? entity : null;
}

export function getGroup(group: H5Group, name: string): H5Group | null {
  const entity: H5Entity = group.get(name);
  return entity instanceof h5wasmLib().Group ? entity : null;
}

/** Opens the file; a file HDF5 cannot read without an OS error behind it is "not an HDF5 file". */
function openH5(path: string, mode: 'r' | 'w'): H5File {
  const { File } = h5wasmLib();
  try {
    return mode === 'w' ? new File(path, 'w', { libver: ['earliest', 'v108'] }) : new File(path, 'r');
  } catch (e) {
    const cause = ioCause(e);
    if (cause === null || cause.code !== null) throw e;
    throw new IoProblem(null, `not an HDF5 file (${cause.text})`, cause.diagnostic);
  }
}

/**
 * Opens an HDF5 file and runs `fn` on it, closing the file afterwards. Files are written in the oldest format
 * that can hold them (libver earliest..v108), as PuzzleLib's h5py files are, so either side reads the other's.
 */
export async function withH5File<T>(path: string, mode: 'r' | 'w', fn: (file: H5File) => T): Promise<T> {
  await loadH5wasm();
  const file = openH5(path, mode);
  if (file.file_id < 0n) throw new IoProblem(null, `not an HDF5 file (h5wasm could not open it)`);
  let result: T;
  try {
    result = fn(file);
  } catch (e) {
    // The first failure is the one to report: closing a file whose write failed fails again.
    try {
      file.close();
    } catch {
      // already reporting e
    }
    throw e;
  }
  file.close();
  return result;
}

/** Writes an HDF5 file atomically at `path` (see writeAtomically: fsync, rename, links written through). */
export async function writeH5Atomically(path: string, fn: (file: H5File) => void): Promise<void> {
  await writeAtomically(path, (temp) => withH5File(temp, 'w', fn));
}

/** A private temp file for bytes in or out (h5wasm's Node build works on paths); dead writers' ones go first. */
async function bytesTemp(): Promise<string> {
  await removeStaleTemps(tmpdir(), 'puzzle-h5');
  return tempName(tmpdir(), 'puzzle-h5');
}

/** Builds an HDF5 file and returns its bytes. */
export async function writeH5Bytes(fn: (file: H5File) => void): Promise<Uint8Array> {
  const temp = await bytesTemp();
  try {
    await withH5File(temp, 'w', fn);
    return new Uint8Array(await readFile(temp));
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** Reads an HDF5 file given as a path or as its bytes. */
export async function readH5<T>(source: string | Uint8Array, fn: (file: H5File) => T): Promise<T> {
  if (typeof source === 'string') {
    await checkReadable(source);
    return withH5File(source, 'r', fn);
  }
  const temp = await bytesTemp();
  try {
    await writeFile(temp, source);
    return await withH5File(temp, 'r', fn);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
