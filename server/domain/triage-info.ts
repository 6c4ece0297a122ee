// What a pivoted agenda item says about its metric, as the board stores it under the item's `triage` key; the
// triage planner (triage.ts) writes it, the board's readers (board-read.ts) return it.
import type { Trend } from './slip.ts';

export type TriageState = 'active' | 'recovered' | 'dismissed';

export interface TriageInfo {
  metricId: string;
  state: TriageState;
  /**
   * Why it pivoted: "Fleet fuel cost savings 18% behind plan (threshold 15%)". Kept as it was at the pivot once the
   * metric recovers (the numbers below are the current ones).
   */
  why: string;
  /** On a recovered item, where the metric stands now: "Fleet fuel cost savings now 1% ahead of plan". */
  current?: string | null;
  slip: number;
  threshold: number;
  latest: { at: string; value: number } | null;
  trend: Trend;
  /** The initiatives the metric measures and everything depending on them, with their owners. */
  impact: { initiativeId: string; title: string; owner: string; team: string; direct: boolean }[];
  /** Planned value not yet realized across the impacted initiatives. */
  moneyAtRisk: number;
  currency: string | null;
  pivotedAt: number;
  recoveredAt: number | null;
  dismissedBy: string | null;
  dismissedAt: number | null;
}
