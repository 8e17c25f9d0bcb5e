/**
 * A trace's observations as a tree under the trace itself: children in start order, observations
 * whose parent is missing (not sent, or still in flight) at the top, never lost.
 */
import type { ObservationView } from './api/types.js';

/** The id of the tree's root: the trace. */
export const TRACE_NODE = 'trace';

export interface TreeNode {
  id: string;
  /** Null for the root (the trace). */
  observation: ObservationView | null;
  parentId: string | null;
  depth: number;
  children: TreeNode[];
}

export function buildObservationTree(observations: readonly ObservationView[]): TreeNode {
  const root: TreeNode = { id: TRACE_NODE, observation: null, parentId: null, depth: 0, children: [] };
  const nodes = new Map<string, TreeNode>();
  for (const observation of observations) {
    nodes.set(observation.id, { id: observation.id, observation, parentId: null, depth: 0, children: [] });
  }
  for (const node of nodes.values()) {
    const parentId = node.observation?.parentObservationId ?? null;
    const parent = parentId !== null && parentId !== node.id ? nodes.get(parentId) : undefined;
    (parent ?? root).children.push(node);
  }
  // A parent cycle (malformed input) is unreachable from the root: hang it there.
  const reached = new Set<string>();
  const mark = (node: TreeNode) => {
    reached.add(node.id);
    for (const child of node.children) if (!reached.has(child.id)) mark(child);
  };
  mark(root);
  for (const node of nodes.values()) {
    if (reached.has(node.id)) continue;
    for (const other of nodes.values()) other.children = other.children.filter((child) => child !== node);
    root.children.push(node);
    mark(node);
  }
  const settle = (node: TreeNode, depth: number, parentId: string | null) => {
    node.depth = depth;
    node.parentId = parentId;
    node.children.sort(byStart);
    for (const child of node.children) settle(child, depth + 1, node.id);
  };
  settle(root, 0, null);
  return root;
}

/** Times have millisecond precision: ties keep the API's order (stored start order, in nanoseconds). */
function byStart(a: TreeNode, b: TreeNode): number {
  const start = (node: TreeNode) => Date.parse(node.observation?.startTime ?? '');
  return start(a) - start(b);
}

/** The rows shown, depth first, skipping the children of collapsed nodes. */
export function visibleNodes(root: TreeNode, collapsed: ReadonlySet<string>): TreeNode[] {
  const rows: TreeNode[] = [];
  const walk = (node: TreeNode) => {
    rows.push(node);
    if (collapsed.has(node.id)) return;
    for (const child of node.children) walk(child);
  };
  walk(root);
  return rows;
}

export function findNode(root: TreeNode, id: string): TreeNode | null {
  if (root.id === id) return root;
  for (const child of root.children) {
    const found = findNode(child, id);
    if (found !== null) return found;
  }
  return null;
}
