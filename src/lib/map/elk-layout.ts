// Node positions for the dependency map, computed by ELK in a web worker so the page stays responsive:
// a layered left-to-right picture for a readable number of initiatives, a stress layout beyond that.
import ELK, { type ElkNode } from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';

export interface LayoutNode {
  id: string;
  group: string;
  width: number;
  height: number;
}

export interface LayoutEdge {
  id: string;
  source: string;
  target: string;
}

export type Positions = Map<string, { x: number; y: number }>;

/** Above this many initiatives a layered layout takes too long (tens of seconds); stress stays around a second. */
export const LAYERED_LIMIT = 300;

let elk: InstanceType<typeof ELK> | undefined;
/** Layouts of graphs seen in this tab, so reopening the map (or undoing a filter) is instant. */
const cache = new Map<string, Positions>();
const CACHE_LIMIT = 20;

/** RIGHT on a wide screen; DOWN on a narrow one (a phone), where a row of boxes would be drawn too small to read. */
export type LayoutDirection = 'RIGHT' | 'DOWN';

export async function layoutMap(
  nodes: LayoutNode[],
  edges: LayoutEdge[],
  direction: LayoutDirection = 'RIGHT',
): Promise<Positions> {
  const signature = [
    direction,
    ...nodes.map((n) => `${n.id}:${n.width}x${n.height}`).sort(),
    '|',
    ...edges.map((e) => e.id).sort(),
  ].join(',');
  const known = cache.get(signature);
  if (known) return known;
  const positions = await computeLayout(nodes, edges, direction);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(signature, positions);
  return positions;
}

async function computeLayout(nodes: LayoutNode[], edges: LayoutEdge[], direction: LayoutDirection): Promise<Positions> {
  elk ??= new ELK({ workerUrl: elkWorkerUrl });
  const layered = nodes.length <= LAYERED_LIMIT;
  const groups = new Map<string, LayoutNode[]>();
  for (const node of nodes) groups.set(node.group, [...(groups.get(node.group) ?? []), node]);
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: layered
      ? {
          'elk.algorithm': 'layered',
          'elk.direction': direction,
          'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
          'elk.layered.spacing.nodeNodeBetweenLayers': '70',
          'elk.spacing.nodeNode': '30',
          'elk.padding': '[top=30,left=20,bottom=20,right=20]',
        }
      : {
          'elk.algorithm': 'stress',
          'elk.stress.desiredEdgeLength': '160',
          'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
        },
    children: [...groups].map(([group, members]) => ({
      id: `group:${group}`,
      layoutOptions: { 'elk.padding': '[top=36,left=16,bottom=16,right=16]' },
      children: members.map((node) => ({ id: node.id, width: node.width, height: node.height })),
    })),
    edges: edges.map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] })),
  };
  const result = await elk.layout(graph);
  const positions: Positions = new Map();
  for (const group of result.children ?? []) {
    for (const child of group.children ?? []) {
      // ELK gives top-left corners relative to the parent; Cytoscape wants absolute centres.
      positions.set(child.id, {
        x: (group.x ?? 0) + (child.x ?? 0) + (child.width ?? 0) / 2,
        y: (group.y ?? 0) + (child.y ?? 0) + (child.height ?? 0) / 2,
      });
    }
  }
  return positions;
}
