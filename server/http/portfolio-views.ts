// Assembles what portfolio responses show: metrics with their assessment, initiatives with their two statuses.
import type { Context } from 'hono';
import { assessInitiative } from '../domain/initiative-status.ts';
import { assessMetric, DEFAULT_SLIP_THRESHOLD, type Status } from '../domain/slip.ts';
import type { InitiativeRow } from '../store/initiatives.ts';
import type { MetricRow } from '../store/metrics.ts';
import { recentReadingsByMetric } from '../store/readings.ts';
import type { AppEnv } from './context.ts';
import { toMetric } from './metric-views.ts';
import { iso, isoOrNull } from './route-helpers.ts';

/** Metrics with their assessment and their last `history` readings (oldest first), in two queries. */
export async function viewMetrics(c: Context<AppEnv>, rows: MetricRow[], history = 0) {
  const readings = await recentReadingsByMetric(
    c.var.deps.sql,
    rows.map((row) => row.id),
    Math.max(history, 4),
  );
  return rows.map((row) => {
    const recent = readings.get(row.id) ?? [];
    return {
      ...toMetric(row, assessMetric(row, recent)),
      ...(history > 0 ? { history: recent.slice(-history).map((r) => ({ at: iso(r.at), value: r.value })) } : {}),
    };
  });
}

export function viewInitiatives(rows: InitiativeRow[], metricStatus: Map<string, Status>, now: Date) {
  return rows.map((row) => {
    const money =
      row.plannedValue !== null && row.startAt && row.targetAt
        ? {
            plannedValue: row.plannedValue,
            realizedValue: row.realizedValue ?? 0,
            startAt: row.startAt,
            targetAt: row.targetAt,
          }
        : null;
    const status = assessInitiative({
      metricStatuses: row.metricIds.map((id) => metricStatus.get(id) ?? 'no data'),
      money,
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
    };
  });
}
