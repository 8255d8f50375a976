import { ModuleError } from '../errors.js';
import type { Module } from '../module.js';
import { createDataset } from './checksums.js';
import { writeArray, writeScalarInt } from './h5-arrays.js';
import { writeH5Atomically, writeH5Bytes, type H5File } from './h5-file.js';
import { checkpointFailure } from './io-cause.js';
import { collectCheckpoint, type CheckpointOptions, type ModuleCheckpoint } from './module-checkpoint.js';

export interface SaveOptions extends CheckpointOptions {
  /** gzip the arrays (PuzzleLib's default compress="gzip"). */
  compress?: boolean;
  /** Stored as the scalar string dataset "blueprint": JSON with 4-space indent and sorted keys, as PuzzleLib writes it. */
  blueprint?: unknown;
}

/** JSON with sorted keys at every level (json.dumps(sort_keys=True, indent=4)). */
function sortedJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  };
  return JSON.stringify(sortKeys(value), null, 4);
}

export function writeCheckpoint(file: H5File, ckpt: ModuleCheckpoint, opts: SaveOptions = {}): void {
  const compress = opts.compress ?? true;
  if (ckpt.hasLeaf) {
    const params = file.create_group('params');
    ckpt.params.forEach((host, i) => writeArray(params, String(i), host, compress));
    const links = file.create_group('links');
    for (const [name, index] of ckpt.links) writeScalarInt(links, name, index);
  }
  if (ckpt.attrs.size > 0) {
    const attrs = file.create_group('attrs');
    for (const [name, host] of ckpt.attrs) writeArray(attrs, name, host, compress);
  }
  for (const [groupName, values] of ckpt.containerAttrs) {
    const group = file.create_group(groupName);
    // PuzzleLib writes container attributes without compression.
    for (const [name, host] of values) writeArray(group, name, host, false);
  }
  if (opts.blueprint !== undefined) createDataset(file, { name: 'blueprint', data: sortedJson(opts.blueprint) });
}

/**
 * Saves a module (and, through getVarTable and its children, a whole container tree) in PuzzleLib's HDF5 layout:
 * to `path`, atomically, or, without a path, to the returned bytes.
 */
export async function saveModule(mod: Module, path: string | undefined, opts: SaveOptions = {}): Promise<Uint8Array | void> {
  try {
    const ckpt = collectCheckpoint(mod, opts);
    const write = (file: H5File) => writeCheckpoint(file, ckpt, opts);
    if (path === undefined) return await writeH5Bytes(write);
    await writeH5Atomically(path, write);
  } catch (e) {
    if (e instanceof ModuleError) throw e;
    const failure = checkpointFailure(mod.describe(), 'save to', path ?? null, e);
    if (failure !== null) throw failure;
    throw new ModuleError(`${mod.describe()} save error: ${e instanceof Error ? e.message : String(e)}`);
  }
}
