import { GPUArray } from '@puzzle/backend';
import { isShape, type Data, type Edge, type Node, type ShapeOf } from '@puzzle/modules';

/**
 * What flows along graph edges: arrays forward and backward, shapes in shape inference. Both are "one value or
 * a list of values"; a Flow tells them apart.
 */
export interface Flow<T> {
  isList(value: T): boolean;
}

export const dataFlow: Flow<Data> = { isList: (d) => !(d instanceof GPUArray) };
export const shapeFlow: Flow<ShapeOf> = { isList: (s) => !isShape(s) };

/** The output slots of a value: its items if it is a list, else itself as slot 0. */
export function slotsOf<T>(value: T, flow: Flow<T>): T[] {
  return flow.isList(value) ? (value as unknown as T[]) : [value];
}

/** Gradient pieces routed to one parent along one edge, keyed by the parent's output slot. */
export type Routed<T> = Map<number, T>;

/**
 * A node's input: a lone parent hands over its output unchanged (or the one slot selected from it); otherwise the
 * input is a list with one item per unslotted parent (its whole output) and one per selected slot.
 */
export function nodeInput<T>(node: Node, outputOf: (n: Node) => T, flow: Flow<T>): T {
  const pick = (parent: Node, s: number): T => {
    const slots = slotsOf(outputOf(parent), flow);
    if (!(s >= 0 && s < slots.length)) throw new RangeError(`slot ${s} of node '${parent.name}' does not exist (it has ${slots.length})`);
    return slots[s]!;
  };
  const [first] = node.bwds;
  if (node.bwds.length === 1 && first!.slots === null) return outputOf(first!.node);
  if (node.bwds.length === 1 && first!.slots!.length === 1) return pick(first!.node, first!.slots![0]!);
  const items = node.bwds.flatMap((edge) => (edge.slots === null ? [outputOf(edge.node)] : edge.slots.map((s) => pick(edge.node, s))));
  return items as unknown as T;
}

/** Splits a node's input gradient back along its parent edges (the mirror of nodeInput). */
export function routeInGrad<T>(node: Node, inGrad: T, outputOf: (n: Node) => T, flow: Flow<T>): Map<Edge, Routed<T>> {
  const routed = new Map<Edge, Routed<T>>();
  const spread = (edge: Edge, whole: T): Map<Edge, Routed<T>> =>
    routed.set(edge, new Map(flow.isList(outputOf(edge.node)) ? slotsOf(whole, flow).map((g, s) => [s, g]) : [[0, whole]]));
  const [first] = node.bwds;
  if (node.bwds.length === 1 && first!.slots === null) return spread(first!, inGrad);
  if (node.bwds.length === 1 && first!.slots!.length === 1) return routed.set(first!, new Map([[first!.slots![0]!, inGrad]]));
  const items = slotsOf(inGrad, flow);
  let i = 0;
  for (const edge of node.bwds) {
    if (edge.slots === null) spread(edge, items[i++]!);
    else routed.set(edge, new Map(edge.slots.map((s) => [s, items[i++]!])));
  }
  return routed;
}

/** For each output slot of `node`, the gradient pieces its children routed back to it. */
export function gradPieces<T>(node: Node, slotCount: number, routedOf: (child: Node) => Map<Edge, Routed<T>>): T[][] {
  const pieces = Array.from({ length: slotCount }, (): T[] => []);
  for (const child of new Set(node.fwds.map((e) => e.node))) {
    for (const edge of child.bwds) {
      if (edge.node !== node) continue;
      for (const [slot, g] of routedOf(child).get(edge)!) pieces[slot]!.push(g);
    }
  }
  return pieces;
}
