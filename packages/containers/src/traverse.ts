import type { Node } from '@puzzle/modules';

export type Direction = 'forward' | 'backward';

/**
 * PuzzleLib's ready-set schedule: from `start`, visit a node once every parent (forward) or child (backward) has
 * been visited, then move on to its children (parents). A node blocked on an unvisited dependency is left for a
 * later traversal that reaches it again, so one call per graph input (output) with a shared `visited` set runs
 * every node exactly once in dependency order.
 */
export function traverse(start: Node, visited: Set<Node>, direction: Direction, visit: (node: Node) => void): void {
  const pending = [start];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (visited.has(node)) continue;
    const [deps, next] = direction === 'forward' ? [node.bwds, node.fwds] : [node.fwds, node.bwds];
    if (!deps.every((edge) => visited.has(edge.node))) continue;
    visit(node);
    visited.add(node);
    for (let i = next.length - 1; i >= 0; i--) pending.push(next[i]!.node);
  }
}
