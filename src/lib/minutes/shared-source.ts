// A replay's data through a share link: the same history shapes as the member API, under /api/shared/<token>, and
// the names of the people the review mentions from the shared summary (no organization member list without an
// account).
import { api } from '../api/untyped-client.ts';
import { apiPath, withQuery } from '../api/paths.ts';
import {
  EVENTS_PAGE,
  UPDATES_PAGE,
  type EventsPage,
  type HistorySummary,
  type ReplaySource,
  type UpdatesPage,
} from '../replay/source.ts';

export function sharedSource(token: string): ReplaySource {
  return {
    summary: () => api.get<HistorySummary>(apiPath`/shared/${token}/history`),
    updates: (afterSeq) =>
      api.get<UpdatesPage>(withQuery(apiPath`/shared/${token}/history/updates`, { afterSeq, limit: UPDATES_PAGE })),
    events: (afterId) =>
      api.get<EventsPage>(
        withQuery(apiPath`/shared/${token}/history/events`, { limit: EVENTS_PAGE, afterId: afterId || undefined }),
      ),
    boardAt: (at) =>
      api.get<{ seq: number; state: string }>(
        withQuery(apiPath`/shared/${token}/history/board`, { at: new Date(at).toISOString() }),
      ),
    people: async () => (await api.get<{ people: { id: string; name: string }[] }>(apiPath`/shared/${token}`)).people,
  };
}
