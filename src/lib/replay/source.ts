// Where a replay gets its data. The page of a signed-in member reads the review's history API; a share link can
// pass another source (token-based endpoints) with the same shape, and ReplayView works the same. The page's load
// function may ask for the opening before the page renders (`opening`), and the player takes that answer.
import { api, type ApiResponse } from '../api/client.ts';

export type HistorySummary = ApiResponse<'/api/reviews/{reviewId}/history', 'get'>;
export type UpdatesPage = ApiResponse<'/api/reviews/{reviewId}/history/updates', 'get'>;
export type EventsPage = ApiResponse<'/api/reviews/{reviewId}/history/events', 'get'>;
export type HistoryEvent = EventsPage['events'][number];
export type ReplayOpening = ApiResponse<'/api/reviews/{reviewId}/history/opening', 'get'>;

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
  /**
   * Everything before the first frame in one answer (summary, first events, names, the board read at `at` or the
   * start); optional: without it the replay asks for each in turn.
   */
  opening?(at: number | null): Promise<ReplayOpening>;
}

export const UPDATES_PAGE = 5_000;
export const EVENTS_PAGE = 1_000;

/** The history API of a review, for signed-in members of its organization. */
export function historySource(reviewId: string): ReplaySource {
  return {
    summary: () => api.get('/api/reviews/{reviewId}/history', { path: { reviewId } }),
    updates: (afterSeq) =>
      api.get('/api/reviews/{reviewId}/history/updates', {
        path: { reviewId },
        query: { afterSeq, limit: UPDATES_PAGE },
      }),
    events: (afterId) =>
      api.get('/api/reviews/{reviewId}/history/events', {
        path: { reviewId },
        query: { limit: EVENTS_PAGE, afterId: afterId || undefined },
      }),
    boardAt: (at) =>
      api.get('/api/reviews/{reviewId}/history/board', {
        path: { reviewId },
        query: { at: new Date(at).toISOString() },
      }),
    people: async (organizationId) =>
      (await api.get('/api/orgs/{orgId}/members', { path: { orgId: organizationId } })).members.map((member) => ({
        id: member.userId,
        name: member.name,
      })),
    opening: (at) =>
      api.get('/api/reviews/{reviewId}/history/opening', { path: { reviewId }, query: { at: at ?? undefined } }),
  };
}
