// What the dependency map draws: node sizes from money at stake, colors from status and risk, and which
// initiatives a filter keeps. Pure, so the page and the benchmark draw the same thing.
import { downstreamOf, upstreamOf } from '$server/domain/dependencies';
import type { Dependency, DependencyMap, MapNode, Status } from '$lib/api/types';

/** A map as drawn: the server's, or a part of it (which has no key-result chains). */
export type MapView = Omit<DependencyMap, 'keyResults'> & Partial<Pick<DependencyMap, 'keyResults'>>;

export const STATUS_COLORS: Record<Status, string> = {
  'on track': '#059669',
  'at risk': '#d97706',
  'off track': '#dc2626',
  'no data': '#94a3b8',
  stale: '#a8a29e',
};

export const RISK_COLORS: Record<Dependency['risk'], string> = {
  ok: '#94a3b8',
  'at risk': '#d97706',
  'off track': '#dc2626',
  late: '#dc2626',
};

/** Width and height of an initiative's box: wider for longer titles, taller for more money at stake. */
export function nodeSize(
  node: Pick<MapNode, 'title' | 'moneyAtStake'>,
  maxMoney: number,
): { width: number; height: number } {
  const width = Math.min(220, Math.max(120, node.title.length * 7 + 24));
  const share = maxMoney > 0 ? Math.sqrt(node.moneyAtStake / maxMoney) : 0;
  return { width, height: Math.round(44 + share * 36) };
}

export interface MapFilter {
  teams: string[];
  objectiveId: string | null;
  statuses: Status[];
  search: string;
}

export const emptyFilter = (): MapFilter => ({ teams: [], objectiveId: null, statuses: [], search: '' });

/** Initiatives the filter keeps, and the dependencies between two kept initiatives. */
export function applyFilter(map: MapView, filter: MapFilter): MapView {
  const query = filter.search.trim().toLowerCase();
  const nodes = map.nodes.filter(
    (node) =>
      (filter.teams.length === 0 || filter.teams.includes(node.team)) &&
      (filter.objectiveId === null || node.objectiveId === filter.objectiveId) &&
      (filter.statuses.length === 0 || filter.statuses.includes(node.status)) &&
      (query === '' ||
        node.title.toLowerCase().includes(query) ||
        node.owner.name.toLowerCase().includes(query) ||
        node.team.toLowerCase().includes(query)),
  );
  const kept = new Set(nodes.map((node) => node.id));
  return { nodes, edges: map.edges.filter((edge) => kept.has(edge.dependentId) && kept.has(edge.dependencyId)) };
}

/** Cytoscape elements: team groups (compound nodes), initiatives, and edges drawn from B to A (work flows on). */
export function toElements(map: MapView) {
  const maxMoney = Math.max(0, ...map.nodes.map((node) => node.moneyAtStake));
  const teams = [...new Set(map.nodes.map((node) => node.team))].sort();
  return [
    ...teams.map((team) => ({ group: 'nodes' as const, data: { id: `group:${team}`, label: team, kind: 'team' } })),
    ...map.nodes.map((node) => ({
      group: 'nodes' as const,
      data: {
        id: node.id,
        parent: `group:${node.team}`,
        label: `${node.title}\n${node.owner.name}`,
        kind: 'initiative',
        color: STATUS_COLORS[node.status],
        // Its own status colors the border; what it inherits from upstream is drawn around it (absent: none).
        ...(node.inheritedRisk
          ? { inherited: node.inheritedRisk.status, inheritedColor: STATUS_COLORS[node.inheritedRisk.status] }
          : {}),
        ...nodeSize(node, maxMoney),
      },
    })),
    ...map.edges.map((edge) => ({
      group: 'edges' as const,
      data: {
        id: edge.id,
        // Drawn from the upstream initiative to the one that waits for it.
        source: edge.dependencyId,
        target: edge.dependentId,
        color: RISK_COLORS[edge.risk],
        risk: edge.risk,
      },
    })),
  ];
}

/** The part of the map around some initiatives: them, everything they wait for and everything waiting on them. */
export function neighbourhood(map: MapView, focusIds: readonly string[]): MapView {
  const keep = new Set(focusIds);
  for (const id of focusIds) {
    for (const other of downstreamOf(map.edges, id)) keep.add(other);
    for (const other of upstreamOf(map.edges, id)) keep.add(other);
  }
  return {
    nodes: map.nodes.filter((node) => keep.has(node.id)),
    edges: map.edges.filter((edge) => keep.has(edge.dependentId) && keep.has(edge.dependencyId)),
  };
}
