import type { HostArray } from '@puzzle/backend';
import type { Module } from '@puzzle/modules';
import type { NodeImport } from '../node-import.js';

/** Makes the Puzzle module that computes one ONNX node, with its parameters loaded. */
export type Importer = (n: NodeImport) => Module;

/** Loads a variable (or an attribute, for running statistics) of a new module. */
export function load(mod: Module, name: string, host: HostArray): void {
  (name in mod.vars ? mod.getVar(name).data : mod.getAttr(name)).set(host);
}

/** Pads [b1, b2, ..., e1, e2, ...] as per-axis (before, after), which Puzzle's layers take symmetric. */
export function symmetricPads(n: NodeImport, pads: readonly number[] | null, axes: number): number[] {
  const p = pads ?? new Array<number>(2 * axes).fill(0);
  if (p.length !== 2 * axes) n.fail(`pads [${p.join(', ')}] do not match ${axes} spatial axes`);
  const [begin, end] = [p.slice(0, axes), p.slice(axes)];
  if (begin.some((b, i) => b !== end[i])) n.fail(`pads [${p.join(', ')}] differ at the two ends of an axis (Puzzle pads symmetrically)`);
  return begin;
}

/** A per-axis attribute of a 1-D or 2-D layer (strides, dilations) with its ONNX default. */
export function perAxis(n: NodeImport, name: string, axes: number, fallback: number): number[] {
  const v = n.attrs.ints(name, new Array<number>(axes).fill(fallback))!;
  if (v.length !== axes) n.fail(`${name} [${v.join(', ')}] do not match ${axes} spatial axes`);
  return v;
}

/** The auto_pad attribute: only explicit pads (NOTSET) or none (VALID) map onto Puzzle's layers. */
export function explicitPads(n: NodeImport, axes: number): number[] {
  const auto = n.attrs.string('auto_pad', 'NOTSET');
  if (auto === 'VALID') return new Array<number>(axes).fill(0);
  if (auto !== 'NOTSET') n.fail(`auto_pad ${auto} is not supported (NOTSET with explicit pads, or VALID)`);
  return symmetricPads(n, n.attrs.ints('pads', null), axes);
}
