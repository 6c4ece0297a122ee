// The commitments check in a review's minutes: the earlier action items its agenda item listed, with what
// PostgreSQL says of them now (the board's copy may be older), and how many stand where.
import type { AgendaItemView } from './board-schema.ts';

export interface MinutesCommitment {
  id: string;
  title: string;
  owner: string;
  dueDate: string;
  status: string;
  overdue: boolean;
  reviewTitle: string;
}

export interface MinutesCommitmentsCheck {
  itemId: string;
  title: string;
  entries: MinutesCommitment[];
  counts: Record<'proposed' | 'committed' | 'done' | 'dropped' | 'overdue', number>;
}

/** What PostgreSQL knows of an action item, where it has it. */
interface ActionTruth {
  title: string;
  ownerName: string;
  dueDate: string;
  status: string;
}

/** The agenda's commitments check (null when it has none); an item done or dropped since is no longer overdue. */
export function commitmentsCheckOf(
  agenda: readonly AgendaItemView[],
  actions: ReadonlyMap<string, ActionTruth>,
): MinutesCommitmentsCheck | null {
  const check = agenda.find((view) => view.kind === 'commitments-check');
  if (!check) return null;
  const entries = check.commitments.map((entry): MinutesCommitment => {
    const truth = actions.get(entry.id);
    const status = truth?.status ?? entry.status;
    return {
      id: entry.id,
      title: truth?.title ?? entry.title,
      owner: truth?.ownerName ?? entry.ownerName,
      dueDate: truth?.dueDate ?? entry.dueDate,
      status,
      overdue: entry.overdue && (status === 'proposed' || status === 'committed'),
      reviewTitle: entry.reviewTitle,
    };
  });
  const counts = { proposed: 0, committed: 0, done: 0, dropped: 0, overdue: 0 };
  for (const entry of entries) {
    if (entry.status in counts) counts[entry.status as keyof typeof counts] += 1;
    if (entry.overdue) counts.overdue += 1;
  }
  return { itemId: check.id, title: check.title, entries, counts };
}
