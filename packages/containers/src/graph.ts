import { GPUArray, gpuarray } from '@puzzle/backend';
import { fmtShapes, isShape, shapesOf, sumArrays, type Data, type Edge, type Node, type ShapeOf } from '@puzzle/modules';
import { Container, type ChildBackward } from './container.js';
import { dataFlow, gradPieces, nodeInput, routeInGrad, shapeFlow, slotsOf, type Routed } from './routing.js';
import { traverse } from './traverse.js';

export interface GraphOptions {
  inputs: Node | Node[];
  outputs: Node | Node[];
  /** Skip the in-place safety checks. */
  unsafe?: boolean;
  /** Keep the modules out of the container's children (every module then needs a name of its own). */
  nodesOnly?: boolean;
  name?: string | null;
}

type RoutedBy<T> = Map<Node, Map<Edge, Routed<T>>>;

/** A node by its name, or by its module when it has none (a node the graph never adopted). */
const label = (node: Node) => (node.name ? `node '${node.name}'` : `the node of ${node.module.describe()} (unnamed)`);

/**
 * A directed acyclic graph of module nodes. A node's gradient is the sum of what its children route back to it
 * (summed into a fresh buffer, released after the node's backward); output slots nobody consumes get zeros.
 */
export class Graph extends Container {
  readonly inputs: readonly Node[];
  readonly outputs: readonly Node[];
  readonly nodes = new Map<string, Node>();
  readonly unsafe: boolean;

  constructor(opts: GraphOptions) {
    super(opts.name ?? null);
    this.unsafe = opts.unsafe ?? false;
    this.inputs = Array.isArray(opts.inputs) ? [...opts.inputs] : [opts.inputs];
    this.outputs = Array.isArray(opts.outputs) ? [...opts.outputs] : [opts.outputs];
    try {
      this.checkEnds();
      const visited = new Set<Node>();
      for (const input of this.inputs) traverse(input, visited, 'forward', (node) => this.adoptNode(node, opts.nodesOnly ?? false));
      this.checkReach(visited);
    } catch (e) {
      // The modules stay free for a graph built right.
      this.releaseChildren();
      throw e;
    }
  }

  getNodeByName(name: string): Node {
    const node = this.nodes.get(name);
    if (!node) this.fail(`has no node named '${name}'`);
    return node;
  }

  protected forwardChildren(data: Data): Data {
    const xs = this.inputs.length === 1 ? [data] : (data as Data[]);
    const outputOf = (n: Node) => n.module.data!;
    const visited = new Set<Node>();
    this.inputs.forEach((input, i) =>
      traverse(input, visited, 'forward', (node) =>
        this.runChild(label(node), node.module, () => node.module.call(node === input ? xs[i]! : nodeInput(node, outputOf, dataFlow))),
      ),
    );
    return collect(this.outputs, outputOf);
  }

  protected backwardChildren(grad: Data, opts: ChildBackward): Data | null {
    const gs = this.outputs.length === 1 ? [grad] : (grad as Data[]);
    const outputOf = (n: Node) => n.module.data!;
    const routed: RoutedBy<Data> = new Map();
    const visited = new Set<Node>();
    this.outputs.forEach((output, i) =>
      traverse(output, visited, 'backward', (node) => {
        const temps: GPUArray[] = [];
        try {
          const g = node === output ? gs[i]! : this.outGrad(node, routed, temps);
          const updGrad = node.bwds.length === 0 ? opts.updGrad : true;
          this.runChild(label(node), node.module, () => node.module.backward(g, { ...opts, updGrad }));
        } finally {
          for (const t of temps) t.dispose();
        }
        if (node.bwds.length > 0) routed.set(node, routeInGrad(node, node.module.grad!, outputOf, dataFlow));
      }),
    );
    return opts.updGrad ? collect(this.inputs, (n) => n.module.grad!) : null;
  }

  /** One gradient per output slot: a lone piece as is, several summed, none as zeros (new arrays go to `temps`). */
  private outGrad(node: Node, routed: RoutedBy<Data>, temps: GPUArray[]): Data {
    const out = node.module.data!;
    const slots = slotsOf(out, dataFlow);
    const grads = gradPieces(node, slots.length, (child) => routed.get(child)!).map((pieces, s) => {
      if (pieces.length === 1) return pieces[0]!;
      const slot = slots[s]!;
      if (!(slot instanceof GPUArray) || !pieces.every((p) => p instanceof GPUArray)) {
        this.fail(`cannot combine gradients of the nested output slot ${s} of ${label(node)}`);
      }
      const made = pieces.length === 0 ? gpuarray.zeros(slot.shape, slot.dtype) : sumArrays(pieces as GPUArray[]);
      temps.push(made);
      return made;
    });
    return dataFlow.isList(out) ? grads : grads[0]!;
  }

  override dataShapeFrom(shape: ShapeOf): ShapeOf {
    const shapes = this.inputs.length === 1 ? [shape] : (shape as ShapeOf[]);
    const outs = new Map<Node, ShapeOf>();
    const visited = new Set<Node>();
    this.inputs.forEach((input, i) =>
      traverse(input, visited, 'forward', (node) => {
        const s = node === input ? shapes[i]! : nodeInput(node, (n) => outs.get(n)!, shapeFlow);
        outs.set(node, this.runChild(label(node), node.module, () => node.module.dataShapeFrom(s)));
      }),
    );
    return collect(this.outputs, (n) => outs.get(n)!);
  }

  /** Input-gradient shapes for output-gradient shapes; needs a forward pass (to know list-valued outputs). */
  override gradShapeFrom(shape: ShapeOf): ShapeOf {
    const shapes = this.outputs.length === 1 ? [shape] : (shape as ShapeOf[]);
    const dataShape = (n: Node): ShapeOf => {
      if (n.module.data === null) this.fail('gradShapeFrom needs a forward pass first');
      return shapesOf(n.module.data);
    };
    const routed: RoutedBy<ShapeOf> = new Map();
    const inShapes = new Map<Node, ShapeOf>();
    const visited = new Set<Node>();
    this.outputs.forEach((output, i) =>
      traverse(output, visited, 'backward', (node) => {
        const g = node === output ? shapes[i]! : this.outGradShape(node, dataShape(node), routed);
        const inShape = this.runChild(label(node), node.module, () => node.module.gradShapeFrom(g));
        inShapes.set(node, inShape);
        if (node.bwds.length > 0) routed.set(node, routeInGrad(node, inShape, dataShape, shapeFlow));
      }),
    );
    return collect(this.inputs, (n) => inShapes.get(n)!);
  }

  private outGradShape(node: Node, own: ShapeOf, routed: RoutedBy<ShapeOf>): ShapeOf {
    const slots = slotsOf(own, shapeFlow);
    const perSlot = gradPieces(node, slots.length, (child) => routed.get(child)!).map((pieces, s) => pieces[0] ?? slots[s]!);
    return shapeFlow.isList(own) ? perSlot : perSlot[0]!;
  }

  override reset(): void {
    super.reset();
    // With nodesOnly the modules are not children, so reach them through the nodes.
    for (const node of this.nodes.values()) node.module.reset();
  }

  protected override checkDataShape(shape: ShapeOf): void {
    if (this.inputs.length > 1 && (isShape(shape) || shape.length !== this.inputs.length)) {
      this.fail(`expects a list of ${this.inputs.length} inputs, got ${fmtShapes(shape)}`);
    }
  }

  private checkEnds(): void {
    const withParents = this.inputs.filter((n) => n.bwds.length > 0).map(label);
    if (withParents.length > 0) this.fail(`input nodes have parents: ${withParents.join(', ')}`);
    const withChildren = this.outputs.filter((n) => n.fwds.length > 0).map(label);
    if (withChildren.length > 0) this.fail(`output nodes have children: ${withChildren.join(', ')}`);
  }

  private adoptNode(node: Node, nodesOnly: boolean): void {
    for (const other of this.nodes.values()) {
      if (other.module === node.module) this.fail(`${node.module.describe()} sits in two nodes ('${other.name}' and another)`);
    }
    if (!nodesOnly) this.append(node.module);
    if (!node.name) this.fail(`a node of ${node.module.describe()} has no name (nodesOnly needs named modules)`);
    if (this.nodes.has(node.name)) this.fail(`two nodes are named '${node.name}'`);
    this.nodes.set(node.name, node);
    if (node.module.inplace && !this.unsafe) this.checkInplace(node);
  }

  /** An in-place module overwrites its input: only safe on a chain without fan-in or fan-out around it. */
  private checkInplace(node: Node): void {
    for (const { node: child } of node.fwds) {
      if (child.bwds.length > 1) this.fail(`in-place ${label(node)} feeds ${label(child)}, which has several parents`);
    }
    for (const { node: parent } of node.bwds) {
      if (parent.fwds.length > 1) this.fail(`in-place ${label(node)} reads ${label(parent)}, which has several children`);
    }
  }

  private checkReach(visited: Set<Node>): void {
    const unreached = this.outputs.filter((n) => !visited.has(n)).map(label);
    if (unreached.length > 0) this.fail(`output nodes are not reachable from the inputs: ${unreached.join(', ')}`);
    for (const node of visited) {
      const blocked = node.fwds.find((e) => !visited.has(e.node));
      if (blocked) this.fail(`${label(blocked.node)} has parents that the inputs do not reach`);
      if (node.fwds.length === 0 && !this.outputs.includes(node)) this.fail(`${label(node)} leads to no output (list it in outputs)`);
    }
  }
}

function collect<T>(nodes: readonly Node[], get: (n: Node) => T): T | T[] {
  return nodes.length === 1 ? get(nodes[0]!) : nodes.map(get);
}
