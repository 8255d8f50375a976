import type { HostArray } from '@puzzle/backend';
import type { Module } from '../module.js';
import { attrName, containerAttrGroup, linkName, rootPath } from './checkpoint-names.js';
import { walkModules } from './module-tree.js';

export interface CheckpointOptions {
  /** PuzzleLib's assumeUniqueNames: module paths shrink to their first and last tokens. */
  assumeUniqueNames?: boolean;
}

/** What a module checkpoint holds, on the host, before it is written as HDF5. */
export interface ModuleCheckpoint {
  /** One entry per distinct Variable, in first-seen order: dataset "params/<index>". */
  params: HostArray[];
  /** "links/<path>.<param>" → params index (a shared Variable has several links to one index). */
  links: Map<string, number>;
  /** Leaf modules' attributes: "attrs/<path>.<attr>". */
  attrs: Map<string, HostArray>;
  /** Containers' own attributes: group "attrs.<path>" → attr name → value (every container gets its group). */
  containerAttrs: Map<string, Map<string, HostArray>>;
  /** PuzzleLib writes "params" and "links" once any leaf module is saved. */
  hasLeaf: boolean;
}

/** Reads every variable and attribute of the module tree to the host, named as PuzzleLib names them. */
export function collectCheckpoint(root: Module, opts: CheckpointOptions = {}): ModuleCheckpoint {
  const unique = opts.assumeUniqueNames ?? false;
  const ckpt: ModuleCheckpoint = { params: [], links: new Map(), attrs: new Map(), containerAttrs: new Map(), hasLeaf: false };
  for (const [variable, names] of root.getVarTable()) {
    const index = ckpt.params.push(variable.data.get()) - 1;
    for (const name of names) ckpt.links.set(linkName(root, name, unique), index);
  }
  for (const { mod, path, isContainer } of walkModules(root, rootPath(root))) {
    if (isContainer) {
      ckpt.containerAttrs.set(containerAttrGroup(path), new Map(Object.entries(mod.attrs).map(([k, a]) => [k, a.get()])));
    } else {
      ckpt.hasLeaf = true;
      for (const [name, a] of Object.entries(mod.attrs)) ckpt.attrs.set(attrName(path, name, unique), a.get());
    }
  }
  return ckpt;
}
