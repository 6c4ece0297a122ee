// The recap at close, as the board carries it: once a review closes, the server writes `doc.getMap('recap')` so
// everyone still in the room learns that the minutes are ready, with a few counts to show. Kept apart from the
// `room` map so that nothing reading the room changes.
//   doc.getMap('recap')  minutesReady: true, closedAt: number (epoch ms), summary: MinutesSummary
import type * as Y from 'yjs';
import type { MinutesSummary } from './minutes.ts';

export interface RecapView {
  minutesReady: boolean;
  closedAt: number | null;
  summary: MinutesSummary | null;
}

export const recapOf = (doc: Y.Doc) => doc.getMap<unknown>('recap');

export function markMinutesReady(doc: Y.Doc, closedAt: number, summary: MinutesSummary): void {
  doc.transact(() => {
    const recap = recapOf(doc);
    recap.set('summary', summary);
    recap.set('closedAt', closedAt);
    recap.set('minutesReady', true);
  });
}

export function readRecap(doc: Y.Doc): RecapView {
  const recap = recapOf(doc);
  const closedAt = recap.get('closedAt');
  const summary = recap.get('summary');
  return {
    minutesReady: recap.get('minutesReady') === true,
    closedAt: typeof closedAt === 'number' ? closedAt : null,
    summary: summary && typeof summary === 'object' ? (summary as MinutesSummary) : null,
  };
}
