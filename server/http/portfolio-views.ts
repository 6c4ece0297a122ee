// Assembles what portfolio responses show: metrics with their assessment, initiatives with their two
// statuses, each with the owner's override in force.
import { assessInitiative, moneyOf } from '../domain/initiative-status.ts';
import { DEFAULT_SLIP_THRESHOLD, type Status } from '../domain/slip.ts';
import type { InitiativeRow } from '../store/initiatives.ts';
import type { MetricRow } from '../store/metrics.ts';
import { activeOverrides } from '../store/overrides.ts';
import { assessMetrics } from '../services/metric-assessments.ts';
import type { AppDeps } from './context.ts';
import { toActiveOverride, toMetric } from './metric-views.ts';
import { iso, isoOrNull } from './route-helpers.ts';

/** What building these views needs: the database and the clock. */
export type ViewDeps = Pick<AppDeps, 'sql' | 'now'>;

/**
 * Metrics with their assessment at the deps' `now` (stale when the latest reading is too old), override in force and
 * last `history` readings (oldest first), in two queries.
 */
export async function viewMetrics(deps: ViewDeps, rows: MetricRow[], history = 0) {
  const [assessed, overrides] = await Promise.all([
    assessMetrics(deps.sql, rows, deps.now(), history),
    activeOverrides(
      deps.sql,
      'metric',
      rows.map((row) => row.id),
    ),
  ]);
  return assessed.map(({ row, assessment, recent }) => ({
    ...toMetric(row, assessment, overrides.get(row.id) ?? null),
    ...(history > 0 ? { history: recent.slice(-history).map((r) => ({ at: iso(r.at), value: r.value })) } : {}),
  }));
}

/** Initiatives with their delivery and value status (from `metricStatus` and money) and override in force. */
export async function viewInitiatives(deps: ViewDeps, rows: InitiativeRow[], metricStatus: Map<string, Status>) {
  const now = deps.now();
  const overrides = await activeOverrides(
    deps.sql,
    'initiative',
    rows.map((row) => row.id),
  );
  return rows.map((row) => {
    const status = assessInitiative({
      metricStatuses: row.metricIds.map((id) => metricStatus.get(id) ?? 'no data'),
      money: moneyOf(row),
      now,
      threshold: DEFAULT_SLIP_THRESHOLD,
    });
    return {
      id: row.id,
      title: row.title,
      description: row.description,
      owner: row.owner,
      team: row.team,
      keyResultId: row.keyResultId,
      plannedValue: row.plannedValue,
      realizedValue: row.realizedValue,
      currency: row.currency,
      startAt: isoOrNull(row.startAt),
      targetAt: isoOrNull(row.targetAt),
      links: row.links,
      metricIds: row.metricIds,
      status,
      override: toActiveOverride(overrides.get(row.id)),
    };
  });
}
