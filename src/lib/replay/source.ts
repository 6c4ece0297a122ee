// Where a replay gets its data. The page of a signed-in member reads the review's history API; a share link can
// pass another source (token-based endpoints) with the same shape, and ReplayView works the same.
import { api } from '../api/untyped-client.ts';
import { apiPath, withQuery } from '../api/paths.ts';

export interface HistorySummary {
  review: {
    id: string;
    organizationId: string;
    title: string;
    status: string;
    startedAt: string | null;
    closedAt: string | null;
  };
  log: { updates: number; firstAt: string | null; lastAt: string | null };
}

export interface UpdatesPage {
  updates: { seq: number; at: string; authorId: string | null; update: string }[];
  nextAfterSeq: number | null;
}

export interface HistoryEvent {
  id: string;
  kind: string;
  at: string;
  actor: { id: string; name: string } | null;
  data: Record<string, unknown>;
}

export interface EventsPage {
  events: HistoryEvent[];
  nextAfterId: string | null;
}

export interface ReplaySource {
  summary(): Promise<HistorySummary>;
  /** The next page of the update log after `afterSeq` (0 for the first). */
  updates(afterSeq: number): Promise<UpdatesPage>;
  /** The next page of the event log after `afterId` (null for the first). */
  events(afterId: string | null): Promise<EventsPage>;
  /** The board as it was at `at` (epoch ms), rebuilt by the server: the first frame before the log is in. */
  boardAt(at: number): Promise<{ seq: number; state: string }>;
  /** Names of people the board mentions (owners, presenters); optional, for sources that may not list them. */
  people?(organizationId: string): Promise<{ id: string; name: string }[]>;
}

export const UPDATES_PAGE = 5_000;
export const EVENTS_PAGE = 1_000;

/** The history API of a review, for signed-in members of its organization. */
export function historySource(reviewId: string): ReplaySource {
  return {
    summary: () => api.get<HistorySummary>(apiPath`/reviews/${reviewId}/history`),
    updates: (afterSeq) =>
      api.get<UpdatesPage>(withQuery(apiPath`/reviews/${reviewId}/history/updates`, { afterSeq, limit: UPDATES_PAGE })),
    events: (afterId) =>
      api.get<EventsPage>(
        withQuery(apiPath`/reviews/${reviewId}/history/events`, { limit: EVENTS_PAGE, afterId: afterId || undefined }),
      ),
    boardAt: (at) =>
      api.get<{ seq: number; state: string }>(
        withQuery(apiPath`/reviews/${reviewId}/history/board`, { at: new Date(at).toISOString() }),
      ),
    people: async (organizationId) =>
      (
        await api.get<{ members: { userId: string; name: string }[] }>(apiPath`/orgs/${organizationId}/members`)
      ).members.map((member) => ({ id: member.userId, name: member.name })),
  };
}
