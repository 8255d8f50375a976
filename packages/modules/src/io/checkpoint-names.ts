import type { Module } from '../module.js';

/**
 * Names inside a checkpoint, as PuzzleLib's Module/Container save and load spell them. A module's path is the
 * root's name ("" when unnamed) followed by ".child" per level: an unnamed Sequential's first Linear is ".0",
 * its weight link ".0.W"; a bare unnamed module links ".W".
 */
export function rootPath(mod: Module): string {
  return mod.name ?? '';
}

/** PuzzleLib's assumeUniqueNames: a module path shrinks to its first and last tokens ("a.b.c" → "a.c"). */
export function shortenPath(path: string, assumeUniqueNames: boolean): string {
  if (!assumeUniqueNames || path.length === 0) return path;
  const tokens = path.split('.');
  return `${tokens[0]}.${tokens[tokens.length - 1]}`;
}

/**
 * The link name of a variable known to the root's getVarTable as `tableName` ("0.W" in a container, "W" for a
 * bare module): module path, a dot, parameter name.
 */
export function linkName(root: Module, tableName: string, assumeUniqueNames = false): string {
  const dot = tableName.lastIndexOf('.');
  const param = tableName.slice(dot + 1);
  const modulePath = dot < 0 ? rootPath(root) : `${rootPath(root)}.${tableName.slice(0, dot)}`;
  return `${shortenPath(modulePath, assumeUniqueNames)}.${param}`;
}

/** Leaf attributes live in the group "attrs" as "<module path>.<attr>". */
export function attrName(modulePath: string, attr: string, assumeUniqueNames = false): string {
  return `${shortenPath(modulePath, assumeUniqueNames)}.${attr}`;
}

/** A container's own attributes live in a group of their own, "attrs.<container path>". */
export function containerAttrGroup(containerPath: string): string {
  return `attrs.${containerPath}`;
}
