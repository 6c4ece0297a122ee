// Decisions on the review board: drafted and edited in the room, then marked as recorded by the server.
import * as Y from 'yjs';
import { itemsOf, type DecisionDraft, type DraftField, type RecordedDecision } from './board-schema.ts';

/** Drafts a decision on an item (recording it as an action item is a later step). */
export function draftDecision(doc: Y.Doc, itemId: string, draft: DecisionDraft, nowMs: number): boolean {
  const decisions = itemsOf(doc).get(itemId)?.get('decisions');
  if (!(decisions instanceof Y.Map)) return false;
  doc.transact(() => {
    const decision = new Y.Map<unknown>();
    for (const [key, value] of Object.entries(draft)) decision.set(key, value);
    decision.set('createdAt', nowMs);
    decisions.set(draft.id, decision);
  });
  return true;
}

/** Changes fields of a draft decision; concurrent edits of different fields both survive. */
export function editDecision(
  doc: Y.Doc,
  itemId: string,
  decisionId: string,
  fields: Partial<Pick<DecisionDraft, DraftField>>,
): boolean {
  const decision = itemsOf(doc).get(itemId)?.get('decisions');
  const target = decision instanceof Y.Map ? decision.get(decisionId) : undefined;
  if (!(target instanceof Y.Map)) return false;
  doc.transact(() => {
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) target.set(key, value);
  });
  return true;
}

export function removeDecision(doc: Y.Doc, itemId: string, decisionId: string): void {
  const decisions = itemsOf(doc).get(itemId)?.get('decisions');
  if (decisions instanceof Y.Map) decisions.delete(decisionId);
}

/** Marks a decision on the board as recorded (creating the draft if the room never had one). */
export function markDecision(doc: Y.Doc, itemId: string, decision: RecordedDecision, nowMs: number): boolean {
  const decisions = itemsOf(doc).get(itemId)?.get('decisions');
  if (!(decisions instanceof Y.Map)) return false;
  doc.transact(() => {
    let target = decisions.get(decision.id);
    if (!(target instanceof Y.Map)) {
      target = new Y.Map<unknown>();
      (target as Y.Map<unknown>).set('createdAt', nowMs);
      decisions.set(decision.id, target);
    }
    const map = target as Y.Map<unknown>;
    for (const [key, value] of Object.entries(decision)) map.set(key, value);
    map.set('actionItemId', decision.id);
  });
  return true;
}
