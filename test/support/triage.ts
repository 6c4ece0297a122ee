// A metric's open triage pivot as the server would write it on the board, for tests that need a triage item.
import type { TriageInfo } from '../../server/domain/triage-info.ts';

export function activeTriage(metricId: string, overrides: Partial<TriageInfo> = {}): TriageInfo {
  return {
    metricId,
    state: 'active',
    why: 'Fuel cost 18% behind plan (threshold 15%)',
    slip: 0.18,
    threshold: 0.15,
    latest: null,
    trend: 'worsening',
    impact: [],
    moneyAtRisk: 0,
    currency: null,
    pivotedAt: Date.now(),
    recoveredAt: null,
    dismissedBy: null,
    dismissedAt: null,
    ...overrides,
  };
}
