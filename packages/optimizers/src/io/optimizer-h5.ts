import type { GPUArray, HostArray } from '@puzzle/backend';
import { canCastSafely, createDataset, describeArray, getDataset, getGroup, toHost, writeArray, type H5File, type H5Group } from '@puzzle/modules';
import type { OptimizerCheckpoint } from '../checkpoint.js';
import { OptimizerError } from '../optimizer-error.js';

/** PuzzleLib keeps `t` as a Python int (int64 in the file); every other attribute is a float (float64). */
const INTEGER_ATTRS = new Set(['t']);

/** Group names of PuzzleLib's Optimizer.save: "<name>.attrs" and "<name>.states" ("" by default). */
export const attrsGroupName = (name: string) => `${name}.attrs`;
export const statesGroupName = (name: string) => `${name}.states`;

function writeScalar(group: H5Group, name: string, value: number): void {
  if (INTEGER_ATTRS.has(name)) createDataset(group, { name, data: BigInt64Array.of(BigInt(value)), shape: [], dtype: '<q' });
  else createDataset(group, { name, data: Float64Array.of(value), shape: [], dtype: '<d' });
}

/** Writes attributes (scalars) and state arrays (uncompressed, as PuzzleLib does) under `name`. */
export function writeOptimizerCheckpoint(file: H5File, ckpt: OptimizerCheckpoint, name = ''): void {
  const attrs = Object.entries(ckpt.attrs);
  if (attrs.length > 0) {
    const group = file.create_group(attrsGroupName(name));
    for (const [attr, value] of attrs) writeScalar(group, attr, value);
  }
  const states = Object.entries(ckpt.states);
  if (states.length > 0) {
    const group = file.create_group(statesGroupName(name));
    for (const [key, host] of states) writeArray(group, key, host, false);
  }
}

function readAttrs(file: H5File, name: string): Record<string, number> {
  const group = getGroup(file, attrsGroupName(name));
  if (group === null) return {};
  return Object.fromEntries(
    group.keys().map((attr) => {
      const values = describeArray(getDataset(group, attr)!).read();
      if (values.length !== 1) throw new OptimizerError(`attribute '${attr}' holds ${values.length} values, expected one`);
      return [attr, Number(values[0])];
    }),
  );
}

/**
 * Reads the attributes and, for each state array the optimizer has (`targets`), the stored array converted to its
 * dtype when numpy would call the cast safe. Missing or misshapen arrays are left for the optimizer's own checks.
 */
export function readOptimizerCheckpoint(file: H5File, targets: Record<string, GPUArray>, name = ''): OptimizerCheckpoint {
  const states: Record<string, HostArray> = {};
  const keys = Object.keys(targets);
  const group = getGroup(file, statesGroupName(name));
  if (keys.length > 0 && group === null) throw new OptimizerError(`the file has no '${statesGroupName(name)}' group`);
  for (const key of keys) {
    const dataset = getDataset(group, key);
    if (dataset === null) continue;
    const stored = describeArray(dataset);
    const dtype = targets[key]!.dtype;
    if (!canCastSafely(stored.dtype, dtype)) throw new OptimizerError(`state '${key}' is stored as ${stored.dtype}, which does not cast safely to ${dtype}`);
    states[key] = toHost(stored, dtype);
  }
  return { attrs: readAttrs(file, name), states };
}
