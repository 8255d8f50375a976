import { checkpointFailure, readH5, writeH5Atomically, writeH5Bytes, type H5File } from '@puzzle/modules';
import type { Optimizer } from '../optimizer.js';
import { OptimizerError } from '../optimizer-error.js';
import { readOptimizerCheckpoint, writeOptimizerCheckpoint } from './optimizer-h5.js';

export interface OptimizerFileOptions {
  /** Prefix of the groups ("<name>.attrs", "<name>.states"); PuzzleLib's default is "". */
  name?: string;
}

/** An I/O failure as a CheckpointError naming the user's path; anything else as an OptimizerError. */
function wrap(optimizer: Optimizer, what: 'save' | 'load', path: string | Uint8Array | undefined, e: unknown): Error {
  const failure = checkpointFailure(optimizer.optimizerName, what === 'save' ? 'save to' : 'load', typeof path === 'string' ? path : null, e);
  if (failure !== null) return failure;
  const message = e instanceof Error ? e.message : String(e);
  return new OptimizerError(message.startsWith(optimizer.optimizerName) ? message : `${optimizer.optimizerName} ${what} error: ${message}`);
}

/**
 * Saves attributes and state in PuzzleLib's optimizer layout: to `path` (written atomically) or, without a path,
 * to the returned bytes.
 */
export async function saveOptimizer(optimizer: Optimizer, path?: string, opts: OptimizerFileOptions = {}): Promise<Uint8Array | void> {
  try {
    const ckpt = optimizer.save();
    const write = (file: H5File) => writeOptimizerCheckpoint(file, ckpt, opts.name ?? '');
    if (path === undefined) return await writeH5Bytes(write);
    await writeH5Atomically(path, write);
  } catch (e) {
    throw wrap(optimizer, 'save', path, e);
  }
}

/**
 * Loads a PuzzleLib-layout optimizer checkpoint into an optimizer already set up on its module. Everything is
 * checked before anything is written: on any mismatch it throws OptimizerError and the optimizer is unchanged.
 */
export async function loadOptimizer(optimizer: Optimizer, source: string | Uint8Array, opts: OptimizerFileOptions = {}): Promise<void> {
  try {
    if (optimizer.module === null) throw new OptimizerError(`${optimizer.optimizerName}: set the optimizer up on its module (setupOn) before loading`);
    const targets = optimizer.stateDict();
    const ckpt = await readH5(source, (file) => readOptimizerCheckpoint(file, targets, opts.name ?? ''));
    optimizer.load(ckpt);
  } catch (e) {
    throw wrap(optimizer, 'load', source, e);
  }
}
