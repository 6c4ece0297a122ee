// The dependency graph between initiatives: an edge A → B means "A depends on B". Impact flows against the
// edges (a slip in B puts A at risk), blockers along them. Pure functions over plain edge lists.

export interface Edge {
  /** A: the initiative that depends. */
  dependentId: string;
  /** B: the initiative it depends on. */
  dependencyId: string;
}

function adjacency(edges: readonly Edge[], direction: 'up' | 'down'): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const [from, to] =
      direction === 'up' ? [edge.dependentId, edge.dependencyId] : [edge.dependencyId, edge.dependentId];
    const list = next.get(from);
    if (list) list.push(to);
    else next.set(from, [to]);
  }
  return next;
}

function reachable(start: string, next: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(next.get(start) ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id) || id === start) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return seen;
}

/** Everything that transitively depends on `id`: what a slip in `id` puts at risk. */
export function downstreamOf(edges: readonly Edge[], id: string): Set<string> {
  return reachable(id, adjacency(edges, 'down'));
}

/** Everything `id` transitively depends on: what can block it. */
export function upstreamOf(edges: readonly Edge[], id: string): Set<string> {
  return reachable(id, adjacency(edges, 'up'));
}

/**
 * The cycle that adding `edge` would close, as initiative ids from the new dependent back to itself
 * (A → B → … → A), or null when the edge keeps the graph acyclic.
 */
export function cycleThrough(edges: readonly Edge[], edge: Edge): string[] | null {
  if (edge.dependentId === edge.dependencyId) return [edge.dependentId, edge.dependentId];
  // A cycle exists if A is reachable going upstream from B; find that path with a breadth-first search.
  const up = adjacency(edges, 'up');
  const previous = new Map<string, string>();
  const queue = [edge.dependencyId];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (id === edge.dependentId) {
      // Walk back from A to B: the path B → … → A (each step "depends on"), then close it with A → B.
      const back = [id];
      let cursor = id;
      while (cursor !== edge.dependencyId) {
        cursor = previous.get(cursor)!;
        back.push(cursor);
      }
      return [edge.dependentId, ...back.reverse()];
    }
    for (const nextId of up.get(id) ?? []) {
      if (seen.has(nextId)) continue;
      seen.add(nextId);
      previous.set(nextId, id);
      queue.push(nextId);
    }
  }
  return null;
}

/** A risk an initiative inherits from something it (transitively) depends on. */
export interface InheritedRisk {
  status: 'at risk' | 'off track';
  /** The chain from the slipping initiative to the one that depends on it, both included (shortest found). */
  path: string[];
}

/**
 * What every initiative inherits from upstream: the worst status among everything it depends on, directly or
 * through others, with the shortest chain that carries it. An initiative that is itself slipping passes its own
 * status on; a healthy one in the middle passes on what it inherited. Off track outranks at risk; a shorter chain
 * outranks a longer one. Initiatives with nothing slipping upstream are absent. Each initiative and edge is visited
 * at most twice per status; the paths cost their length.
 */
export function inheritedRisks(
  edges: readonly Edge[],
  statusOf: ReadonlyMap<string, string>,
): Map<string, InheritedRisk> {
  const down = adjacency(edges, 'down');
  const result = new Map<string, InheritedRisk>();
  for (const status of ['off track', 'at risk'] as const) {
    // Breadth-first from every initiative with this status at once, keeping per initiative the chains from its
    // two nearest distinct sources: a slipping initiative is its own nearest source and inherits from the next
    // one (a cycle back to itself does not count).
    const chains = new Map<string, string[][]>();
    let frontier = [...statusOf].filter(([, s]) => s === status).map(([id]) => [id]);
    for (const path of frontier) chains.set(path[0]!, [path]);
    while (frontier.length > 0) {
      const next: string[][] = [];
      for (const path of frontier)
        for (const dependent of down.get(path.at(-1)!) ?? []) {
          const known = chains.get(dependent) ?? [];
          if (known.length === 2 || known.some((chain) => chain[0] === path[0])) continue;
          const longer = [...path, dependent];
          known.push(longer);
          chains.set(dependent, known);
          next.push(longer);
        }
      frontier = next;
    }
    for (const [id, known] of chains) {
      const nearest = known.find((chain) => chain[0] !== id);
      if (nearest && !result.has(id)) result.set(id, { status, path: nearest });
    }
  }
  return result;
}

export interface Schedule {
  startAt: Date | null;
  targetAt: Date | null;
  /** How far behind plan the initiative is (share of the planned change, positive = behind); null if unknown. */
  slip: number | null;
}

const DAY_MS = 86_400_000;

/**
 * When an initiative is expected to finish: its target date, pushed out by its slip as a share of its
 * planned duration (18% behind on a 10-month plan lands about 1.8 months late). Null without a target date.
 */
export function forecastAt(schedule: Schedule): Date | null {
  if (!schedule.targetAt) return null;
  if (!schedule.startAt || schedule.slip === null || schedule.slip <= 0) return schedule.targetAt;
  const duration = schedule.targetAt.getTime() - schedule.startAt.getTime();
  return new Date(schedule.targetAt.getTime() + Math.max(0, duration) * schedule.slip);
}

export interface DatedEdge extends Edge {
  id: string;
  neededBy: Date | null;
}

/**
 * Dependencies that will not be met in time: the upstream initiative is forecast to finish after the date
 * the dependent needs it by. Sorted by how late, worst first.
 */
export function lateDependencies(
  edges: readonly DatedEdge[],
  forecasts: ReadonlyMap<string, Date | null>,
): { id: string; neededBy: Date; forecastAt: Date; daysLate: number }[] {
  const late = [];
  for (const edge of edges) {
    const forecast = forecasts.get(edge.dependencyId) ?? null;
    if (!edge.neededBy || !forecast || forecast.getTime() <= edge.neededBy.getTime()) continue;
    late.push({
      id: edge.id,
      neededBy: edge.neededBy,
      forecastAt: forecast,
      daysLate: Math.ceil((forecast.getTime() - edge.neededBy.getTime()) / DAY_MS),
    });
  }
  return late.sort((a, b) => b.daysLate - a.daysLate || (a.id < b.id ? -1 : 1));
}

/**
 * The critical chain towards a key result: among the initiatives serving it, the one that can finish last
 * once everything it waits for has finished, and the chain of dependencies that decides that date, from the
 * furthest upstream initiative to the one serving the key result. Empty when no initiative serves it.
 */
export function criticalChain(
  edges: readonly Edge[],
  servingIds: readonly string[],
  forecasts: ReadonlyMap<string, Date | null>,
): string[] {
  const up = adjacency(edges, 'up');
  const finish = new Map<string, number>();
  const visiting = new Set<string>();
  const own = (id: string) => forecasts.get(id)?.getTime() ?? Number.NEGATIVE_INFINITY;
  // Earliest possible finish: the later of its own forecast and everything upstream (a DAG; cycles cut).
  const effectiveFinish = (id: string): number => {
    const known = finish.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return own(id);
    visiting.add(id);
    const value = Math.max(own(id), ...(up.get(id) ?? []).map(effectiveFinish));
    visiting.delete(id);
    finish.set(id, value);
    return value;
  };
  const byFinish = (a: string, b: string) =>
    effectiveFinish(b) - effectiveFinish(a) || own(b) - own(a) || (a < b ? -1 : 1);
  const [last] = [...servingIds].sort(byFinish);
  if (!last) return [];
  const chain = [last];
  const seen = new Set(chain);
  let cursor = last;
  for (;;) {
    const deciding = [...(up.get(cursor) ?? [])]
      // An upstream without any forecast cannot be ruled out, so it stays in the chain.
      .filter(
        (id) =>
          !seen.has(id) && (effectiveFinish(id) === Number.NEGATIVE_INFINITY || effectiveFinish(id) >= own(cursor)),
      )
      .sort(byFinish)[0];
    if (!deciding) break;
    chain.push(deciding);
    seen.add(deciding);
    cursor = deciding;
  }
  return chain.reverse();
}
