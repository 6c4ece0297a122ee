// The triage planner: when a metric in a review's scope is off track, its agenda item becomes a triage item and
// moves ahead of the remaining status updates (worst slip first, never ahead of the item being discussed). A stale
// metric (latest reading too old, see staleness.ts) is unknown to the planner and changes nothing. Pure:
// `planTriage` reads the board and the facts and returns edits; `applyTriage` makes them on a Y.Doc.
//
// An item's triage state lives under its `triage` key (a plain value, last writer wins):
//   active     pivoted and open;   recovered   the metric is back within its threshold (the item stays);
//   dismissed  a facilitator set it aside (with who and when).
// A metric pivots once per crossing: an active or dismissed pivot does not pivot again until it has recovered.
import * as Y from 'yjs';
import { moveItem, newAgendaItem, notesOf } from './board-agenda.ts';
import { readAgenda } from './board-read.ts';
import { itemsOf, type AgendaItemView, type RoomView } from './board-schema.ts';
import { downstreamOf, type Edge } from './dependencies.ts';
import type { Status, Trend } from './slip.ts';
import type { TriageInfo, TriageState } from './triage-info.ts';

export interface TriageMetric {
  id: string;
  name: string;
  status: Status;
  slip: number | null;
  threshold: number;
  latest: { at: string; value: number } | null;
  trend: Trend;
  initiativeIds: string[];
}

export interface TriageInitiative {
  id: string;
  title: string;
  owner: string;
  team: string;
  unrealizedValue: number;
  currency: string | null;
}

export interface TriageFacts {
  agenda: AgendaItemView[];
  room: RoomView;
  /** The review's metrics with their current status. */
  metrics: TriageMetric[];
  initiatives: TriageInitiative[];
  edges: Edge[];
  nowMs: number;
}

export type TriageEdit =
  | {
      kind: 'pivot';
      /** The metric's item, or null when the agenda has none (a new triage item is added). */
      itemId: string | null;
      title: string;
      info: TriageInfo;
      /** Position in the agenda after all the plan's moves. */
      toIndex: number;
      /** The item under discussion pivots where it stands. */
      inPlace: boolean;
    }
  | { kind: 'refresh'; itemId: string; info: TriageInfo }
  | { kind: 'recover'; itemId: string; info: TriageInfo };

export const TRIAGE_TEMPLATE = 'What happened:\n\nOptions:\n\nDecision:\n\nOwner:\n\nDue date:\n';

/** The triage state stored on an item, if any. */
export function triageOf(doc: Y.Doc, itemId: string): TriageInfo | null {
  const value = itemsOf(doc).get(itemId)?.get('triage');
  return value && typeof value === 'object' && typeof (value as TriageInfo).metricId === 'string'
    ? (value as TriageInfo)
    : null;
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

export function triageWhy(metric: Pick<TriageMetric, 'name' | 'slip' | 'threshold'>): string {
  return `${metric.name} ${percent(metric.slip ?? 0)} behind plan (threshold ${percent(metric.threshold)})`;
}

/** Where a metric that is back within its threshold stands now. */
export function triageCurrent(metric: Pick<TriageMetric, 'name' | 'slip' | 'threshold'>): string {
  const slip = metric.slip;
  if (slip === null) return `${metric.name} now has no reading to compare with the plan`;
  if (Math.round(slip * 100) === 0) return `${metric.name} now on plan`;
  if (slip < 0) return `${metric.name} now ${percent(-slip)} ahead of plan`;
  return `${metric.name} now ${percent(slip)} behind plan, within the threshold of ${percent(metric.threshold)}`;
}

function impactOf(metric: TriageMetric, facts: TriageFacts) {
  const byId = new Map(facts.initiatives.map((initiative) => [initiative.id, initiative]));
  const direct = new Set(metric.initiativeIds);
  const all = new Set(metric.initiativeIds);
  for (const id of metric.initiativeIds) for (const other of downstreamOf(facts.edges, id)) all.add(other);
  const impact = [...all]
    .map((id) => byId.get(id))
    .filter((initiative): initiative is TriageInitiative => initiative !== undefined)
    .map((initiative) => ({ initiative, direct: direct.has(initiative.id) }))
    .sort((a, b) => Number(b.direct) - Number(a.direct) || a.initiative.title.localeCompare(b.initiative.title));
  return {
    impact: impact.map(({ initiative, direct: isDirect }) => ({
      initiativeId: initiative.id,
      title: initiative.title,
      owner: initiative.owner,
      team: initiative.team,
      direct: isDirect,
    })),
    moneyAtRisk: impact.reduce((sum, { initiative }) => sum + Math.max(0, initiative.unrealizedValue), 0),
    currency: impact.find(({ initiative }) => initiative.currency)?.initiative.currency ?? null,
  };
}

/** What the triage item says about a metric right now, keeping its history (when it pivoted, dismissals). */
function describe(
  metric: TriageMetric,
  facts: TriageFacts,
  previous: TriageInfo | null,
  state: TriageState,
): TriageInfo {
  return {
    metricId: metric.id,
    state,
    // A recovery keeps the reason of the pivot; the current state is told beside it.
    why: state === 'recovered' && previous ? previous.why : triageWhy(metric),
    current: state === 'recovered' ? triageCurrent(metric) : null,
    slip: metric.slip ?? 0,
    threshold: metric.threshold,
    latest: metric.latest,
    trend: metric.trend,
    ...impactOf(metric, facts),
    pivotedAt: state === 'active' && previous?.state !== 'active' ? facts.nowMs : (previous?.pivotedAt ?? facts.nowMs),
    recoveredAt: state === 'recovered' ? (previous?.state === 'recovered' ? previous.recoveredAt : facts.nowMs) : null,
    dismissedBy: state === 'dismissed' ? (previous?.dismissedBy ?? null) : null,
    dismissedAt: state === 'dismissed' ? (previous?.dismissedAt ?? null) : null,
  };
}

const sameFacts = (a: TriageInfo, b: TriageInfo) =>
  a.why === b.why &&
  (a.current ?? null) === (b.current ?? null) &&
  a.trend === b.trend &&
  a.moneyAtRisk === b.moneyAtRisk &&
  JSON.stringify(a.latest) === JSON.stringify(b.latest) &&
  JSON.stringify(a.impact) === JSON.stringify(b.impact);

/**
 * The edits that bring the board in line with the metrics: new pivots for metrics that crossed their threshold,
 * fresh numbers on open pivots, and recoveries. Planning again on the result returns no edits.
 */
export function planTriage(facts: TriageFacts): TriageEdit[] {
  const edits: TriageEdit[] = [];
  const itemOfMetric = new Map<string, AgendaItemView>();
  for (const item of facts.agenda) {
    if (!item.metricId) continue;
    // A triage item wins over a status update of the same metric.
    if (!itemOfMetric.has(item.metricId) || item.triage) itemOfMetric.set(item.metricId, item);
  }
  const pivots: { metric: TriageMetric; item: AgendaItemView | null; info: TriageInfo }[] = [];
  for (const metric of facts.metrics) {
    const item = itemOfMetric.get(metric.id) ?? null;
    const previous = item?.triage ?? null;
    // A stale metric counts as unknown: its latest reading is too old to say where it stands now. So it does not
    // pivot on those old numbers, an open or dismissed pivot does not recover (nothing shows it got better), and a
    // recovered item keeps what it last said; the item is left as it is until a fresh reading decides.
    if (metric.status === 'stale') continue;
    const offTrack = metric.status === 'off track';
    if (offTrack) {
      if (previous?.state === 'active') {
        const info = describe(metric, facts, previous, 'active');
        if (!sameFacts(info, previous)) edits.push({ kind: 'refresh', itemId: item!.id, info });
      } else if (previous?.state !== 'dismissed') {
        pivots.push({ metric, item, info: describe(metric, facts, previous, 'active') });
      }
    } else if (item && previous && previous.state !== 'recovered') {
      edits.push({ kind: 'recover', itemId: item.id, info: describe(metric, facts, previous, 'recovered') });
    } else if (item && previous) {
      // A recovered item keeps telling where its metric stands now.
      const info = describe(metric, facts, previous, 'recovered');
      if (!sameFacts(info, previous)) edits.push({ kind: 'refresh', itemId: item.id, info });
    }
  }
  if (pivots.length === 0) return edits;

  // New pivots go right after the item under discussion, behind open triage items with a worse slip.
  const currentIndex = facts.agenda.findIndex((item) => item.id === facts.room.currentItemId);
  const moving = new Set(pivots.flatMap(({ item }) => (item && item.id !== facts.room.currentItemId ? [item.id] : [])));
  const order: { id: string | null; slip: number | null; key: string }[] = facts.agenda
    .filter((item) => !moving.has(item.id))
    .map((item) => ({
      id: item.id,
      key: item.id,
      slip: item.triage?.state === 'active' ? item.triage.slip : null,
    }));
  const current = order.findIndex((entry) => entry.id === facts.room.currentItemId);
  const start = currentIndex >= 0 ? current + 1 : 0;
  pivots.sort((a, b) => b.info.slip - a.info.slip || a.metric.name.localeCompare(b.metric.name));
  for (const pivot of pivots) {
    if (pivot.item && pivot.item.id === facts.room.currentItemId) continue; // pivots in place
    let index = start;
    while (index < order.length && order[index]!.slip !== null && order[index]!.slip! >= pivot.info.slip) index++;
    order.splice(index, 0, {
      id: pivot.item?.id ?? null,
      key: pivot.item?.id ?? `new:${pivot.metric.id}`,
      slip: pivot.info.slip,
    });
  }
  for (const pivot of pivots) {
    const key = pivot.item?.id ?? `new:${pivot.metric.id}`;
    edits.push({
      kind: 'pivot',
      itemId: pivot.item?.id ?? null,
      title: pivot.item?.title ?? pivot.metric.name,
      info: pivot.info,
      toIndex: order.findIndex((entry) => entry.key === key),
      inPlace: pivot.item !== null && pivot.item.id === facts.room.currentItemId,
    });
  }
  return edits;
}

/** Makes the planned edits, in one transaction, in the order that keeps every planned position right. */
export function applyTriage(doc: Y.Doc, edits: TriageEdit[], newId: () => string): void {
  doc.transact(() => {
    const pivots = edits
      .filter((edit): edit is Extract<TriageEdit, { kind: 'pivot' }> => edit.kind === 'pivot')
      .sort((a, b) => a.toIndex - b.toIndex);
    for (const edit of edits) {
      if (edit.kind === 'pivot') continue;
      itemsOf(doc).get(edit.itemId)?.set('triage', edit.info);
    }
    // Everything that moves goes to the end first; then, in planned order, each lands at its planned index,
    // with everything before it already final.
    const placed: { itemId: string; toIndex: number; moves: boolean }[] = [];
    let tail = Math.max(0, ...readAgenda(doc).map((view) => view.order)) + 1;
    for (const edit of pivots) {
      let itemId = edit.itemId;
      if (!itemId) {
        itemId = newId();
        itemsOf(doc).set(
          itemId,
          newAgendaItem({ id: itemId, kind: 'triage', title: edit.title, metricId: edit.info.metricId }, tail++),
        );
      }
      const item = itemsOf(doc).get(itemId)!;
      item.set('kind', 'triage');
      item.set('triage', edit.info);
      const notes = notesOf(doc, itemId);
      if (notes && !notes.toString().includes('What happened:'))
        notes.insert(notes.length, (notes.length > 0 ? '\n\n' : '') + TRIAGE_TEMPLATE);
      const moves = !edit.inPlace;
      if (moves && edit.itemId) item.set('order', tail++);
      placed.push({ itemId, toIndex: edit.toIndex, moves });
    }
    for (const { itemId, toIndex, moves } of placed) if (moves) moveItem(doc, itemId, toIndex);
  });
}

/** A facilitator sets a pivot aside; it stays dismissed until its metric recovers. */
export function dismissPivot(doc: Y.Doc, itemId: string, userId: string, nowMs: number): TriageInfo | null {
  const info = triageOf(doc, itemId);
  if (!info || info.state !== 'active') return null;
  const dismissed: TriageInfo = { ...info, state: 'dismissed', dismissedBy: userId, dismissedAt: nowMs };
  itemsOf(doc).get(itemId)!.set('triage', dismissed);
  return dismissed;
}
