import type { Module } from './module.js';

/** A parent of a graph node: the whole output, or selected slots of a list-valued output. */
export type ParentSpec = Node | [Node, number | number[]] | ParentSpec[];

export interface Edge {
  node: Node;
  /** null: the whole output. */
  slots: number[] | null;
}

/** A module placed in a Graph, with its edges recorded on both ends. */
export class Node {
  readonly module: Module;
  readonly bwds: Edge[] = [];
  readonly fwds: Edge[] = [];
  private readonly explicitName: string | null;

  constructor(module: Module, parents: ParentSpec[] = [], name: string | null = null) {
    this.module = module;
    this.explicitName = name;
    for (const spec of parents) this.addParent(spec);
  }

  get name(): string {
    return this.explicitName ?? this.module.name ?? '';
  }

  private addParent(spec: ParentSpec): void {
    if (spec instanceof Node) return this.link(spec, null);
    if (isSlotted(spec)) {
      const [parent, slot] = spec;
      return this.link(parent, typeof slot === 'number' ? [slot] : [...slot]);
    }
    for (const s of spec as ParentSpec[]) this.addParent(s);
  }

  private link(parent: Node, slots: number[] | null): void {
    this.bwds.push({ node: parent, slots });
    parent.fwds.push({ node: this, slots });
  }

  toString(): string {
    return `Node(${this.name})`;
  }
}

function isSlotted(spec: ParentSpec[] | [Node, number | number[]]): spec is [Node, number | number[]] {
  const [first, second] = spec;
  const slots = typeof second === 'number' || (Array.isArray(second) && second.every((x) => typeof x === 'number'));
  return spec.length === 2 && first instanceof Node && slots;
}
