// A replay's data through a share link: the same history shapes as the member API, under /api/shared/<token>, and
// the names of the people the review mentions from the shared summary (no organization member list without an
// account).
import { api } from '../api/client.ts';
import { EVENTS_PAGE, UPDATES_PAGE, type ReplaySource } from '../replay/source.ts';

export function sharedSource(token: string): ReplaySource {
  return {
    summary: () => api.get('/api/shared/{token}/history', { path: { token } }),
    updates: (afterSeq) =>
      api.get('/api/shared/{token}/history/updates', { path: { token }, query: { afterSeq, limit: UPDATES_PAGE } }),
    events: (afterId) =>
      api.get('/api/shared/{token}/history/events', {
        path: { token },
        query: { limit: EVENTS_PAGE, afterId: afterId || undefined },
      }),
    boardAt: (at) =>
      api.get('/api/shared/{token}/history/board', { path: { token }, query: { at: new Date(at).toISOString() } }),
    people: async () => (await api.get('/api/shared/{token}', { path: { token } })).people,
  };
}
