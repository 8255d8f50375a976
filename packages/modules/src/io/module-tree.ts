import type { Module } from '../module.js';

/**
 * The children of a container: any module exposing `modules` as a Map (or record) of named children, which is how
 * @puzzle/containers holds them. Checkpoints walk the tree through it, so containers need no save/load code.
 */
export function childrenOf(mod: Module): [string, Module][] | null {
  const modules = (mod as { modules?: unknown }).modules;
  if (modules instanceof Map) return [...(modules as Map<string, Module>).entries()];
  if (modules !== null && typeof modules === 'object') return Object.entries(modules as Record<string, Module>);
  return null;
}

export interface TreeVisit {
  mod: Module;
  path: string;
  isContainer: boolean;
}

/** Every module of the tree, depth first in child order, with its checkpoint path. */
export function walkModules(root: Module, path: string): TreeVisit[] {
  const children = childrenOf(root);
  if (children === null) return [{ mod: root, path, isContainer: false }];
  return [{ mod: root, path, isContainer: true }, ...children.flatMap(([name, child]) => walkModules(child, `${path}.${name}`))];
}
