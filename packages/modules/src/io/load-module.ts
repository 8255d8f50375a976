import type { GPUArray, HostArray } from '@puzzle/backend';
import { fmtShape } from '@puzzle/backend';
import { ModuleError } from '../errors.js';
import type { Module } from '../module.js';
import { attrName, containerAttrGroup, linkName, rootPath } from './checkpoint-names.js';
import { canCastSafely, describeArray, readScalarInt, toHost } from './h5-arrays.js';
import { getDataset, getGroup, readH5, type H5File, type H5Group } from './h5-file.js';
import { checkpointFailure } from './io-cause.js';
import type { CheckpointOptions } from './module-checkpoint.js';
import { walkModules } from './module-tree.js';

interface Assignment {
  target: GPUArray;
  host: HostArray;
}

/** Collects what to load, or the reasons it cannot be loaded; nothing is written to the module before apply(). */
export class LoadPlan {
  readonly assignments: Assignment[] = [];
  readonly problems: string[] = [];

  /** Queues `target` to receive the dataset `name` of `group`, after checking it exists, has its shape and a safe dtype. */
  add(group: H5Group | null, name: string, what: string, target: GPUArray): void {
    const dataset = getDataset(group, name);
    if (dataset === null) return void this.problems.push(`${what}: the file has no dataset '${name}'`);
    const stored = describeArray(dataset);
    if (fmtShape(stored.shape) !== fmtShape(target.shape)) {
      return void this.problems.push(`${what}: the file holds shape ${fmtShape(stored.shape)}, the model has ${fmtShape(target.shape)}`);
    }
    if (!canCastSafely(stored.dtype, target.dtype)) {
      return void this.problems.push(`${what}: the file holds ${stored.dtype}, which does not cast safely to the model's ${target.dtype}`);
    }
    this.assignments.push({ target, host: toHost(stored, target.dtype) });
  }

  /** Writes every value, once no problem was found. */
  apply(): void {
    for (const { target, host } of this.assignments) target.set(host);
  }
}

function planVariables(root: Module, file: H5File, plan: LoadPlan, unique: boolean): void {
  const table = root.getVarTable();
  if (table.size === 0) return;
  const [params, links] = [getGroup(file, 'params'), getGroup(file, 'links')];
  if (params === null || links === null) return void plan.problems.push("the file has no 'params' and 'links' groups (not a PuzzleLib-layout checkpoint)");
  for (const [variable, names] of table) {
    // As PuzzleLib: a variable is read through the link of its first name.
    const link = linkName(root, names[0]!, unique);
    const linkSet = getDataset(links, link);
    if (linkSet === null) {
      plan.problems.push(`variable '${names[0]}': the file has no link '${link}'`);
      continue;
    }
    plan.add(params, String(readScalarInt(linkSet)), `variable '${names[0]}' (link '${link}')`, variable.data);
  }
}

function planAttributes(root: Module, file: H5File, plan: LoadPlan, unique: boolean): void {
  for (const { mod, path, isContainer } of walkModules(root, rootPath(root))) {
    const entries = Object.entries(mod.attrs);
    if (entries.length === 0) continue;
    if (isContainer) {
      const group = getGroup(file, containerAttrGroup(path));
      for (const [name, value] of entries) plan.add(group, name, `attribute '${name}' of ${mod.describe()}`, value);
    } else {
      const group = getGroup(file, 'attrs');
      for (const [name, value] of entries) plan.add(group, attrName(path, name, unique), `attribute '${name}' of ${mod.describe()}`, value);
    }
  }
}

/** Reads and checks everything `mod` would load from an open checkpoint; `problems` lists what does not fit. */
export function planModuleLoad(mod: Module, file: H5File, opts: CheckpointOptions = {}): LoadPlan {
  const unique = opts.assumeUniqueNames ?? false;
  const plan = new LoadPlan();
  planVariables(mod, file, plan, unique);
  planAttributes(mod, file, plan, unique);
  return plan;
}

/**
 * Loads a checkpoint in PuzzleLib's layout (a path or the file's bytes) into the module tree. Every name, shape and
 * dtype is checked before anything is written: on any problem the module is left untouched and a ModuleError
 * lists what is wrong. Dtypes follow numpy's safe casting (float64 cannot load into float32). A file that cannot
 * be read, or whose data is corrupt, is a CheckpointError.
 */
export async function loadModule(mod: Module, source: string | Uint8Array, opts: CheckpointOptions = {}): Promise<void> {
  let plan: LoadPlan;
  try {
    plan = await readH5(source, (file) => planModuleLoad(mod, file, opts));
  } catch (e) {
    throw checkpointFailure(mod.describe(), 'load', typeof source === 'string' ? source : null, e) ?? new ModuleError(`${mod.describe()} load error: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (plan.problems.length > 0) throw new ModuleError(`${mod.describe()} load error: ${plan.problems.join('; ')}`);
  plan.apply();
}
