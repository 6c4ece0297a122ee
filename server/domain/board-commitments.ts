// The commitments check on the review board: earlier reviews' open action items, listed once per board and kept
// in step with their current state.
import * as Y from 'yjs';
import { addItem } from './board-agenda.ts';
import { readAgenda } from './board-read.ts';
import { itemsOf, type CommitmentEntry } from './board-schema.ts';

export const COMMITMENTS_CHECK_TITLE = 'Commitments check';

/**
 * Adds the commitments check to the end of the agenda, listing `entries`; once per board: false when the board
 * has one already (a review that goes live again, or two starts racing).
 */
export function addCommitmentsCheck(doc: Y.Doc, entries: CommitmentEntry[], id: string): boolean {
  if (readAgenda(doc).some((item) => item.kind === 'commitments-check')) return false;
  doc.transact(() => {
    addItem(doc, { id, kind: 'commitments-check', title: COMMITMENTS_CHECK_TITLE, timeboxMinutes: 10 });
    const list = new Y.Map<CommitmentEntry>();
    itemsOf(doc).get(id)!.set('commitments', list);
    for (const entry of entries) list.set(entry.id, entry);
  });
  return true;
}

/** Shows an action item's new state on every commitments check of the board that lists it. */
export function updateCommitment(
  doc: Y.Doc,
  entry: Omit<CommitmentEntry, 'reviewTitle' | 'reviewFacilitatorId'>,
): boolean {
  let changed = false;
  doc.transact(() => {
    for (const item of itemsOf(doc).values()) {
      const list = item instanceof Y.Map ? item.get('commitments') : undefined;
      if (!(list instanceof Y.Map)) continue;
      const previous = list.get(entry.id) as CommitmentEntry | undefined;
      if (!previous) continue;
      list.set(entry.id, { ...previous, ...entry });
      changed = true;
    }
  });
  return changed;
}
