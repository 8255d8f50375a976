import {
  checkpointFailure,
  collectCheckpoint,
  createDataset,
  describeArray,
  getDataset,
  getGroup,
  IoProblem,
  ModuleError,
  planModuleLoad,
  readH5,
  writeCheckpoint,
  writeH5Atomically,
  type CheckpointOptions,
  type H5File,
  type Module,
  type SaveOptions,
} from '@puzzle/modules';
import { checkRestorable } from '../checkpoint.js';
import type { Optimizer } from '../optimizer.js';
import { OptimizerError } from '../optimizer-error.js';
import { readOptimizerCheckpoint, writeOptimizerCheckpoint } from './optimizer-h5.js';

/** What a training checkpoint pairs: a module and the optimizer set up on it. */
export interface TrainingParts {
  module: Module;
  optimizer: Optimizer;
}

export interface CheckpointSaveOptions extends SaveOptions {
  /** Numbers of your own to resume from (epoch, iteration, ...), saved in the same unit and returned by loadCheckpoint. */
  meta?: Record<string, number>;
}

/** The group that marks a training checkpoint and holds its meta numbers (float64 scalars). */
const CHECKPOINT_GROUP = 'checkpoint';

function subject({ module, optimizer }: TrainingParts): string {
  return `checkpoint of ${module.describe()} and ${optimizer.optimizerName}`;
}

/** An I/O failure as a CheckpointError, our typed errors as they are, anything else (float16, say) as a ModuleError. */
function failure(parts: TrainingParts, action: string, path: string | null, e: unknown): Error {
  const io = checkpointFailure(subject(parts), action, path, e);
  if (io !== null) return io;
  if (e instanceof ModuleError || e instanceof OptimizerError) return e;
  return new ModuleError(`${subject(parts)}: ${e instanceof Error ? e.message : String(e)}`);
}

function checkPaired({ module, optimizer }: TrainingParts): void {
  if (optimizer.module !== module) {
    const where = optimizer.module === null ? 'is not set up on any module' : `is set up on another module (${optimizer.module.describe()})`;
    throw new OptimizerError(`${optimizer.optimizerName} ${where}, not on the ${module.describe()} given: a checkpoint pairs a module with the optimizer set up on it`);
  }
}

/**
 * Saves a module and its optimizer as one unit: one HDF5 file holding the module in PuzzleLib's layout, the
 * optimizer's ".attrs"/".states" groups (so Module.load and Optimizer.load each read their part) and `meta`, replaced
 * atomically, so that after a crash at any moment the file holds both parts of the same step.
 */
export async function saveCheckpoint(path: string, parts: TrainingParts, opts: CheckpointSaveOptions = {}): Promise<void> {
  checkPaired(parts);
  const model = collectCheckpoint(parts.module, opts);
  const optimizer = parts.optimizer.save();
  const write = (file: H5File) => {
    writeCheckpoint(file, model, opts);
    writeOptimizerCheckpoint(file, optimizer, '');
    const group = file.create_group(CHECKPOINT_GROUP);
    for (const [key, value] of Object.entries(opts.meta ?? {})) createDataset(group, { name: key, data: Float64Array.of(value), shape: [], dtype: '<d' });
  };
  try {
    await writeH5Atomically(path, write);
  } catch (e) {
    throw failure(parts, 'save to', path, e);
  }
}

function readMeta(file: H5File): Record<string, number> {
  const group = getGroup(file, CHECKPOINT_GROUP);
  if (group === null) throw new IoProblem(null, `not a training checkpoint (no '${CHECKPOINT_GROUP}' group: was it written by Module.save or Optimizer.save?)`);
  return Object.fromEntries(group.keys().map((key) => [key, Number(describeArray(getDataset(group, key)!).read()[0])]));
}

/**
 * Loads a checkpoint written by saveCheckpoint into a module and the optimizer set up on it, and returns its meta
 * numbers. Both parts are read, verified (checksums) and checked against the module and the optimizer before
 * anything is written: on any problem neither changes.
 */
export async function loadCheckpoint(source: string | Uint8Array, parts: TrainingParts, opts: CheckpointOptions = {}): Promise<Record<string, number>> {
  checkPaired(parts);
  const { module, optimizer } = parts;
  let read;
  try {
    read = await readH5(source, (file) => ({
      meta: readMeta(file),
      model: planModuleLoad(module, file, opts),
      optimizer: readOptimizerCheckpoint(file, optimizer.stateDict(), ''),
    }));
  } catch (e) {
    throw failure(parts, 'load', typeof source === 'string' ? source : null, e);
  }
  if (read.model.problems.length > 0) throw new ModuleError(`${module.describe()} load error: ${read.model.problems.join('; ')}`);
  checkRestorable(optimizer.optimizerName, read.optimizer, optimizer.attrs, optimizer.states);
  read.model.apply();
  optimizer.load(read.optimizer);
  return read.meta;
}
