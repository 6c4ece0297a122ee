// A replay's data through a share link: the same history shapes as the member API, under /api/shared/<token>, and
// the names of the people the review mentions from the shared summary (no organization member list without an
// account).
import { api } from '../api/client.ts';
import {
  EVENTS_PAGE,
  UPDATES_PAGE,
  type EventsPage,
  type HistorySummary,
  type ReplaySource,
  type UpdatesPage,
} from '../replay/source.ts';

export function sharedSource(token: string): ReplaySource {
  const root = `/api/shared/${encodeURIComponent(token)}`;
  const base = `${root}/history`;
  return {
    summary: () => api.get<HistorySummary>(base),
    updates: (afterSeq) => api.get<UpdatesPage>(`${base}/updates?afterSeq=${afterSeq}&limit=${UPDATES_PAGE}`),
    events: (afterId) =>
      api.get<EventsPage>(
        `${base}/events?limit=${EVENTS_PAGE}${afterId ? `&afterId=${encodeURIComponent(afterId)}` : ''}`,
      ),
    boardAt: (at) =>
      api.get<{ seq: number; state: string }>(`${base}/board?at=${encodeURIComponent(new Date(at).toISOString())}`),
    people: async () => (await api.get<{ people: { id: string; name: string }[] }>(root)).people,
  };
}
