import { gpuarray, GPUArray, HostArray } from '@puzzle/backend';
import type { Data } from '../data.js';
import { Linear } from '../linear.js';
import { Module } from '../module.js';
import type { Variable } from '../variable.js';

/** A bare leaf without variables or buffers (an activation, say). */
export class Passthrough extends Module {
  protected updateData(data: Data): Data {
    return (data as GPUArray).copy();
  }

  protected updateGrad(grad: Data): Data {
    return (grad as GPUArray).copy();
  }
}

/** A parameterless leaf with a persisted buffer, like BatchNorm's running mean. */
export class Stats extends Passthrough {
  constructor(size: number, name: string | null = null) {
    super(name);
    this.setAttr('mean', gpuarray.zeros([size]));
  }
}

/**
 * The smallest container checkpoints must handle: named children in a `modules` Map and "child." prefixes in
 * getVarTable, which is the whole contract between @puzzle/containers and the checkpoint code.
 */
export class Tree extends Module {
  readonly modules = new Map<string, Module>();

  constructor(children: Module[], name: string | null = null) {
    super(name);
    children.forEach((child, i) => {
      child.name ??= String(i);
      this.modules.set(child.name, child);
    });
  }

  override getVarTable(table = new Map<Variable, string[]>(), prefix = ''): Map<Variable, string[]> {
    for (const [name, mod] of this.modules) mod.getVarTable(table, `${prefix}${name}.`);
    return table;
  }

  override dispose(): void {
    for (const mod of this.modules.values()) mod.dispose();
    super.dispose();
  }

  protected updateData(): Data {
    throw new Error('not used');
  }

  protected updateGrad(): Data {
    throw new Error('not used');
  }
}

/** The fixture's model: Linear(4, 3), a parameterless leaf, Tree(Linear(3, 2)), Stats(2). */
export function fixtureModel(): Tree {
  return new Tree([new Linear(4, 3), new Passthrough(), new Tree([new Linear(3, 2)]), new Stats(2)]);
}

/** The fixture generator's values: sin(0.37·k + seed) over the flat index, rounded to float32. */
export function fixtureValues(shape: number[], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, (_, k) => Math.sin(0.37 * k + seed));
}

export function randomize(mod: Module, seed: number): void {
  let s = seed;
  for (const v of mod.getVarTable().keys()) v.data.set(HostArray.randn([...v.data.shape], { seed: s++ }));
  const visit = (m: Module) => {
    for (const a of Object.values(m.attrs)) a.set(HostArray.randn([...a.shape], { seed: s++ }));
    const children = (m as { modules?: Map<string, Module> }).modules;
    children?.forEach(visit);
  };
  visit(mod);
}
