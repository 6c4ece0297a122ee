// Which initiatives and metrics the portfolio filters let through.
import type { Initiative, KeyResult, Metric, Portfolio, Status } from '$lib/api/types';

export interface Filters {
  team: string;
  ownerId: string;
  status: Status | '';
}

export const NO_FILTERS: Filters = { team: '', ownerId: '', status: '' };

export function matchesInitiative(initiative: Initiative, filters: Filters): boolean {
  if (filters.team && initiative.team !== filters.team) return false;
  if (filters.ownerId && initiative.owner.id !== filters.ownerId) return false;
  if (filters.status && initiative.status.delivery !== filters.status && initiative.status.value !== filters.status)
    return false;
  return true;
}

export function matchesMetric(metric: Metric, filters: Filters, portfolio: Portfolio): boolean {
  if (filters.ownerId && metric.owner.id !== filters.ownerId) return false;
  if (filters.status && metric.assessment.status !== filters.status) return false;
  if (filters.team) {
    const teams = portfolio.initiatives.filter((i) => metric.initiativeIds.includes(i.id)).map((i) => i.team);
    if (!teams.includes(filters.team)) return false;
  }
  return true;
}

export function teamsOf(portfolio: Portfolio): string[] {
  return [...new Set(portfolio.initiatives.map((i) => i.team))].sort();
}

export function ownersOf(portfolio: Portfolio): { id: string; name: string }[] {
  const owners = new Map<string, string>();
  for (const item of [...portfolio.initiatives, ...portfolio.metrics, ...portfolio.objectives])
    owners.set(item.owner.id, item.owner.name);
  return [...owners].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}

// Stale (numbers too old to trust) needs a look before what has no data or is on track.
const SEVERITY: Record<Status, number> = { 'off track': 0, 'at risk': 1, stale: 2, 'on track': 3, 'no data': 4 };

/** Key results of an objective, the worst-off first, so a review starts where it hurts. */
export function keyResultsOf(portfolio: Portfolio, objectiveId: string, metricsById: Map<string, Metric>): KeyResult[] {
  const severity = (kr: KeyResult) =>
    SEVERITY[(kr.metricId && metricsById.get(kr.metricId)?.assessment.status) || 'no data'];
  return portfolio.keyResults
    .filter((kr) => kr.objectiveId === objectiveId)
    .sort((a, b) => severity(a) - severity(b) || a.title.localeCompare(b.title));
}
