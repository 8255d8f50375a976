import { Graph, Sequential } from '@puzzle/containers';
import { Identity, type Module, type Node, type ParentSpec } from '@puzzle/modules';

/** One imported node: its module, the computed values it reads (in order) and the values it writes (its slots). */
export interface Layer {
  module: Module;
  inputs: string[];
  outputs: string[];
  /** The module returns a list (Split): consumers select slots. */
  listOutput: boolean;
}

/** How many times each value is read: by layers, and once more for each graph output it is. */
function readCounts(layers: readonly Layer[], outputs: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of [...layers.flatMap((l) => l.inputs), ...outputs]) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** A chain: each layer reads exactly what the one before wrote, and nothing else reads it. */
function isChain(layers: readonly Layer[], inputs: readonly string[], outputs: readonly string[]): boolean {
  const counts = readCounts(layers, outputs);
  let current: readonly string[] = inputs;
  for (const layer of layers) {
    if (!same(layer.inputs, current) || current.some((v) => counts.get(v) !== 1)) return false;
    current = layer.outputs;
  }
  return inputs.length === 1 && same(current, outputs) && current.every((v) => counts.get(v) === 1);
}

/** The net of the imported layers: a Sequential where they form a chain, else a Graph. */
export function assemble(layers: readonly Layer[], inputs: readonly string[], outputs: readonly string[], names: Set<string>): Sequential | Graph {
  if (isChain(layers, inputs, outputs)) return new Sequential().extend(layers.map((l) => l.module));
  return new GraphAssembly(layers, inputs, outputs, names).graph();
}

/** Builds a Graph's nodes from the layers, adding Identity nodes where a graph input or output needs a node of its own. */
class GraphAssembly {
  private readonly counts: Map<string, number>;
  /** Where each value comes from: a node, and the slot for list outputs. */
  private readonly sources = new Map<string, ParentSpec>();
  private readonly inputNodes: Node[] = [];

  constructor(
    private readonly layers: readonly Layer[],
    private readonly inputs: readonly string[],
    private readonly outputs: readonly string[],
    private readonly names: Set<string>,
  ) {
    this.counts = readCounts(layers, outputs);
  }

  graph(): Graph {
    const direct = new Map(this.inputs.map((name) => [name, this.directConsumer(name)]));
    for (const name of this.inputs) if (!direct.get(name)) this.addInputNode(name);
    for (const layer of this.layers) {
      const bound = this.inputs.find((name) => direct.get(name) === layer);
      const node = bound ? layer.module.node() : layer.module.node(...layer.inputs.map((v) => this.sources.get(v)!));
      if (bound) this.inputNodes[this.inputs.indexOf(bound)] = node;
      layer.outputs.forEach((v, slot) => this.sources.set(v, layer.listOutput ? [node, slot] : node));
    }
    return new Graph({ inputs: this.inputNodes, outputs: this.outputs.map((v) => this.outputNode(v)) });
  }

  /** The layer a graph input can be bound to directly: its only reader, which reads nothing else. */
  private directConsumer(name: string): Layer | undefined {
    const readers = this.layers.filter((l) => l.inputs.includes(name));
    const only = readers[0];
    return readers.length === 1 && this.counts.get(name) === 1 && only!.inputs.length === 1 ? only : undefined;
  }

  private addInputNode(name: string): void {
    const node = new Identity({ name: this.unique(name) }).node();
    this.inputNodes[this.inputs.indexOf(name)] = node;
    this.sources.set(name, node);
  }

  /** A graph output: the node that writes it when nothing else reads it, else an Identity node reading it. */
  private outputNode(name: string): Node {
    const source = this.sources.get(name)!;
    const node = source as Node;
    const whole = !Array.isArray(source);
    if (whole && this.counts.get(name) === 1 && node.fwds.length === 0 && !this.inputNodes.includes(node)) return node;
    return new Identity({ name: this.unique(name) }).node(source);
  }

  private unique(base: string): string {
    let name = base;
    for (let k = 1; this.names.has(name); k++) name = `${base}_${k}`;
    this.names.add(name);
    return name;
  }
}
