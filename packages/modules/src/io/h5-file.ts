import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import h5wasm, { type Dataset as H5Dataset, type File as H5File, type Group as H5Group } from 'h5wasm/node';

export type { Dataset as H5Dataset, File as H5File, Group as H5Group } from 'h5wasm/node';
type H5Entity = ReturnType<H5File['get']>;

/** The dataset or group at `name` under `group`, or null when there is none of that kind. */
export function getDataset(group: H5Group | null, name: string): H5Dataset | null {
  const entity: H5Entity = group?.get(name) ?? null;
  return entity instanceof h5wasm.Dataset ? entity : null;
}

export function getGroup(group: H5Group, name: string): H5Group | null {
  const entity: H5Entity = group.get(name);
  return entity instanceof h5wasm.Group ? entity : null;
}

let ready: Promise<void> | null = null;

/** Loads the HDF5 wasm module once; HDF5 errors then surface as exceptions instead of stderr dumps. */
function h5Ready(): Promise<void> {
  ready ??= h5wasm.ready.then((mod) => {
    mod.activate_throwing_error_handler();
  });
  return ready;
}

/** The innermost reason of an HDF5 error stack ("file signature not found"), or the message itself. */
export function h5Reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const frames = [...text.matchAll(/#\d+: .* in [\w.]+\(\): (.*)/g)];
  return frames.length > 0 ? frames[frames.length - 1]![1]!.trim() : text.split('\n')[0]!;
}

/**
 * Opens an HDF5 file and runs `fn` on it, closing the file afterwards. Files are written in the oldest format
 * that can hold them (libver earliest..v108), as PuzzleLib's h5py files are, so either side reads the other's.
 */
export async function withH5File<T>(path: string, mode: 'r' | 'w', fn: (file: H5File) => T): Promise<T> {
  await h5Ready();
  let file: H5File;
  try {
    file = mode === 'w' ? new h5wasm.File(path, 'w', { libver: ['earliest', 'v108'] }) : new h5wasm.File(path, 'r');
  } catch (e) {
    throw new Error(`cannot open ${path} as HDF5: ${h5Reason(e)}`, { cause: e });
  }
  if (file.file_id < 0n) throw new Error(`cannot open ${path} as HDF5`);
  try {
    return fn(file);
  } finally {
    file.close();
  }
}

function tempName(dir: string, base: string): string {
  return join(dir, `.${base}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes an HDF5 file next to `path` and renames it into place, so a reader never sees a half-written file. */
export async function writeH5Atomically(path: string, fn: (file: H5File) => void): Promise<void> {
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  const temp = tempName(dirname(target), basename(target));
  try {
    await withH5File(temp, 'w', fn);
    await rename(temp, target);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}

/** Builds an HDF5 file and returns its bytes (through a private temp file: h5wasm's Node build works on paths). */
export async function writeH5Bytes(fn: (file: H5File) => void): Promise<Uint8Array> {
  const temp = tempName(tmpdir(), 'puzzle-h5');
  try {
    await withH5File(temp, 'w', fn);
    return new Uint8Array(await readFile(temp));
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** Reads an HDF5 file given as a path or as its bytes. */
export async function readH5<T>(source: string | Uint8Array, fn: (file: H5File) => T): Promise<T> {
  if (typeof source === 'string') return withH5File(source, 'r', fn);
  const temp = tempName(tmpdir(), 'puzzle-h5');
  try {
    await writeFile(temp, source);
    return await withH5File(temp, 'r', fn);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
