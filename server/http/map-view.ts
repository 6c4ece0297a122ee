// The dependency map as the API and the review room see it: every initiative with its effective status,
// money and forecast finish; every dependency with its risk; the critical chain towards each key result.
import { criticalChain, forecastAt, inheritedRisks, lateDependencies } from '../domain/dependencies.ts';
import { worstStatus, type Status } from '../domain/slip.ts';
import { listDependencies, type DependencyRow } from '../store/dependencies.ts';
import { listInitiatives } from '../store/initiatives.ts';
import { listMetrics } from '../store/metrics.ts';
import { listKeyResults } from '../store/objectives.ts';
import { viewInitiatives, viewMetrics, type ViewDeps } from './portfolio-views.ts';

/** Initiatives with their effective status and forecast finish, and every dependency with its risk. */
export async function loadMap(deps: ViewDeps, orgId: string) {
  const { sql } = deps;
  const [initiativeRows, metricRows, keyResults, dependencies] = await Promise.all([
    listInitiatives(sql, orgId),
    listMetrics(sql, orgId),
    listKeyResults(sql, orgId),
    listDependencies(sql, orgId),
  ]);
  const metrics = await viewMetrics(deps, metricRows);
  const metricById = new Map(metrics.map((m) => [m.id, m]));
  const initiatives = await viewInitiatives(
    deps,
    initiativeRows,
    new Map<string, Status>(metrics.map((m) => [m.id, m.override?.status ?? m.assessment.status])),
  );
  const objectiveOf = new Map(keyResults.map((kr) => [kr.id, kr.objectiveId]));
  const rowById = new Map(initiativeRows.map((row) => [row.id, row]));
  const forecasts = new Map<string, Date | null>();
  const nodes = initiatives.map((initiative) => {
    const row = rowById.get(initiative.id)!;
    const slips = [
      initiative.status.valueSlip,
      ...initiative.metricIds.map((id) => metricById.get(id)?.assessment.slip ?? null),
    ].filter((slip): slip is number => slip !== null);
    const forecast = forecastAt({
      startAt: row.startAt,
      targetAt: row.targetAt,
      slip: slips.length ? Math.max(...slips) : null,
    });
    forecasts.set(initiative.id, forecast);
    return {
      id: initiative.id,
      title: initiative.title,
      team: initiative.team,
      owner: initiative.owner,
      keyResultId: initiative.keyResultId,
      objectiveId: initiative.keyResultId ? (objectiveOf.get(initiative.keyResultId) ?? null) : null,
      status: initiative.override?.status ?? worstStatus([initiative.status.delivery, initiative.status.value]),
      delivery: initiative.status.delivery,
      value: initiative.status.value,
      moneyAtStake: initiative.plannedValue ?? 0,
      moneyAtRisk: initiative.status.moneyAtRisk,
      currency: initiative.currency,
      metricIds: initiative.metricIds,
      forecastAt: forecast ? forecast.toISOString() : null,
    };
  });
  const statusOf = new Map(nodes.map((node) => [node.id, node.status]));
  // A slip travels down the whole chain: whoever waits on a slipping initiative, directly or not, is at risk.
  const inherited = inheritedRisks(dependencies, statusOf);
  const titleOf = new Map(nodes.map((node) => [node.id, node.title]));
  const withRisks = nodes.map((node) => {
    const risk = inherited.get(node.id);
    return {
      ...node,
      inheritedRisk: risk
        ? { status: risk.status, via: risk.path.slice(0, -1).map((id) => ({ id, title: titleOf.get(id) ?? '' })) }
        : null,
    };
  });
  const upstreamStatus = (id: string): Status =>
    worstStatus([statusOf.get(id) ?? 'no data', inherited.get(id)?.status ?? 'no data']);
  const late = new Map(
    lateDependencies(
      dependencies.map((d) => ({ ...d, neededBy: d.neededBy ? new Date(`${d.neededBy}T00:00:00Z`) : null })),
      forecasts,
    ).map((entry) => [entry.id, entry.daysLate]),
  );
  const edges = dependencies.map((d) => toDependency(d, upstreamStatus(d.dependencyId), late.get(d.id)));
  // For each key result, the chain of dependencies that decides when its initiatives can deliver.
  const keyResultChains = keyResults
    .map((kr) => ({
      keyResultId: kr.id,
      title: kr.title,
      initiativeIds: criticalChain(
        dependencies,
        nodes.filter((node) => node.keyResultId === kr.id).map((node) => node.id),
        forecasts,
      ),
    }))
    .filter((chain) => chain.initiativeIds.length > 0);
  return { nodes: withRisks, edges, keyResults: keyResultChains };
}

/**
 * An upstream that is at risk or off track, itself or through what it waits on, colors its edge; so does a needed-by
 * date its upstream will miss.
 */
function toDependency(row: DependencyRow, upstream: Status, daysLate: number | undefined) {
  const risk =
    upstream === 'off track'
      ? 'off track'
      : daysLate !== undefined
        ? 'late'
        : upstream === 'at risk'
          ? 'at risk'
          : 'ok';
  return {
    id: row.id,
    dependentId: row.dependentId,
    dependencyId: row.dependencyId,
    note: row.note,
    neededBy: row.neededBy,
    requester: row.requester,
    provider: row.provider,
    risk: risk as 'ok' | 'at risk' | 'off track' | 'late',
    daysLate: daysLate ?? null,
  };
}
