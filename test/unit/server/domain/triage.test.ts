import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initializeBoard, notesOf, readAgenda, readRoom, type AgendaSeed } from '../../../../server/domain/board.ts';
import type { Edge } from '../../../../server/domain/dependencies.ts';
import type { Status } from '../../../../server/domain/slip.ts';
import {
  applyTriage,
  dismissPivot,
  planTriage,
  triageCurrent,
  type TriageInitiative,
  type TriageMetric,
} from '../../../../server/domain/triage.ts';

const metric = (id: string, status: Status, slip: number | null, initiativeIds: string[] = []): TriageMetric => ({
  id,
  name: `Metric ${id}`,
  status,
  slip,
  threshold: 0.15,
  latest: slip === null ? null : { at: '2026-11-24T00:00:00.000Z', value: 42 },
  trend: 'worsening',
  initiativeIds,
});

function board(metricIds: string[], currentIndex = 0): Y.Doc {
  const doc = new Y.Doc();
  initializeBoard(
    doc,
    metricIds.map((id): AgendaSeed => ({
      id: `item-${id}`,
      kind: 'status-update',
      title: `Metric ${id}`,
      metricId: id,
    })),
  );
  doc.getMap('room').set('currentItemId', `item-${metricIds[currentIndex]}`);
  return doc;
}

let ids = 0;
const newId = () => `new-${++ids}`;

function run(doc: Y.Doc, metrics: TriageMetric[], extra: { initiatives?: TriageInitiative[]; edges?: Edge[] } = {}) {
  const edits = planTriage({
    agenda: readAgenda(doc),
    room: readRoom(doc),
    metrics,
    initiatives: extra.initiatives ?? [],
    edges: extra.edges ?? [],
    nowMs: 1_000,
  });
  applyTriage(doc, edits, newId);
  return edits;
}

const order = (doc: Y.Doc) => readAgenda(doc).map((item) => item.metricId ?? item.id);

describe('planTriage', () => {
  it('pivots off-track metrics right after the item under discussion, worst slip first', () => {
    const doc = board(['a', 'b', 'c', 'd']);
    const metrics = [
      metric('a', 'on track', 0),
      metric('b', 'off track', 0.2),
      metric('c', 'off track', 0.3),
      metric('d', 'at risk', 0.1),
    ];
    const edits = run(doc, metrics);
    expect(edits.map((edit) => edit.kind)).toEqual(['pivot', 'pivot']);
    expect(order(doc)).toEqual(['a', 'c', 'b', 'd']);
    const triage = readAgenda(doc).filter((item) => item.kind === 'triage');
    expect(triage.map((item) => item.triage?.why)).toEqual([
      'Metric c 30% behind plan (threshold 15%)',
      'Metric b 20% behind plan (threshold 15%)',
    ]);
    expect(notesOf(doc, 'item-c')!.toString()).toContain('What happened:');
    // Planning again on the result changes nothing, and the next reading does not pivot again.
    expect(run(doc, metrics)).toEqual([]);
  });

  it('never moves the item being discussed; an off-track current item pivots where it stands', () => {
    const doc = board(['a', 'b', 'c'], 1);
    run(doc, [metric('a', 'off track', 0.4), metric('b', 'off track', 0.2), metric('c', 'on track', 0)]);
    expect(order(doc)).toEqual(['b', 'a', 'c']);
    expect(readRoom(doc).currentItemId).toBe('item-b');
    expect(readAgenda(doc)[0]!.kind).toBe('triage');
  });

  it('places a new pivot behind open triage items with a worse slip', () => {
    const doc = board(['a', 'b', 'c', 'd']);
    run(doc, [metric('b', 'off track', 0.5)]);
    run(doc, [metric('b', 'off track', 0.5), metric('d', 'off track', 0.2), metric('c', 'off track', 0.6)]);
    expect(order(doc)).toEqual(['a', 'c', 'b', 'd']);
  });

  it('adds a triage item for an off-track metric with no item of its own', () => {
    const doc = board(['a', 'b']);
    run(doc, [metric('z', 'off track', 0.3)]);
    expect(order(doc)).toEqual(['a', 'z', 'b']);
    expect(readAgenda(doc)[1]).toMatchObject({ kind: 'triage', title: 'Metric z' });
  });

  it('shows recovery without removing the item, and pivots again on a new crossing', () => {
    const doc = board(['a', 'b']);
    run(doc, [metric('b', 'off track', 0.3)]);
    expect(run(doc, [metric('b', 'at risk', 0.1)]).map((edit) => edit.kind)).toEqual(['recover']);
    const recovered = readAgenda(doc).find((item) => item.metricId === 'b')!;
    expect(recovered).toMatchObject({ kind: 'triage', triage: { state: 'recovered', recoveredAt: 1_000 } });
    expect(run(doc, [metric('b', 'at risk', 0.1)])).toEqual([]);
    expect(run(doc, [metric('b', 'off track', 0.25)]).map((edit) => edit.kind)).toEqual(['pivot']);
    expect(readAgenda(doc).find((item) => item.metricId === 'b')!.triage!.state).toBe('active');
  });

  it('keeps the reason it pivoted with once recovered, and tells the current state beside it', () => {
    // Issue 19: a recovered pivot read "-1% behind plan" on the board and in the minutes.
    const doc = board(['a', 'b']);
    run(doc, [metric('b', 'off track', 0.3)]);
    run(doc, [metric('b', 'on track', -0.01)]);
    const triage = readAgenda(doc).find((item) => item.metricId === 'b')!.triage!;
    expect(triage).toMatchObject({
      state: 'recovered',
      why: 'Metric b 30% behind plan (threshold 15%)',
      current: 'Metric b now 1% ahead of plan',
    });
    run(doc, [metric('b', 'at risk', 0.1)]);
    expect(readAgenda(doc).find((item) => item.metricId === 'b')!.triage).toMatchObject({
      why: 'Metric b 30% behind plan (threshold 15%)',
      current: 'Metric b now 10% behind plan, within the threshold of 15%',
    });
    expect(triageCurrent({ name: 'Cost', slip: 0.001, threshold: 0.15 })).toBe('Cost now on plan');
    expect(triageCurrent({ name: 'Cost', slip: null, threshold: 0.15 })).toMatch(/no reading/);
  });

  it('keeps a dismissed pivot dismissed until its metric recovers', () => {
    const doc = board(['a', 'b']);
    run(doc, [metric('b', 'off track', 0.3)]);
    expect(dismissPivot(doc, 'item-b', 'fran', 2_000)).toMatchObject({ state: 'dismissed', dismissedBy: 'fran' });
    expect(run(doc, [metric('b', 'off track', 0.4)])).toEqual([]);
    expect(run(doc, [metric('b', 'on track', 0)]).map((edit) => edit.kind)).toEqual(['recover']);
    expect(run(doc, [metric('b', 'off track', 0.4)]).map((edit) => edit.kind)).toEqual(['pivot']);
  });

  it('treats a stale metric as unknown: no pivot on old numbers, no recovery, no change to its item', () => {
    // Issue 19: a metric whose latest reading is too old says nothing about where it stands now.
    const doc = board(['a', 'b']);
    expect(run(doc, [metric('b', 'stale', 0.4)])).toEqual([]);
    expect(readAgenda(doc).find((item) => item.metricId === 'b')!.triage).toBeNull();
    // An open pivot stays open while the metric is stale: going stale is not getting better.
    run(doc, [metric('b', 'off track', 0.3)]);
    const before = readAgenda(doc).find((item) => item.metricId === 'b')!.triage;
    expect(run(doc, [metric('b', 'stale', 0.3)])).toEqual([]);
    expect(run(doc, [metric('b', 'stale', -0.2)])).toEqual([]);
    expect(readAgenda(doc).find((item) => item.metricId === 'b')!.triage).toEqual(before);
    // A fresh reading decides again; a recovered item is not refreshed from stale numbers either.
    expect(run(doc, [metric('b', 'on track', 0)]).map((edit) => edit.kind)).toEqual(['recover']);
    const recovered = readAgenda(doc).find((item) => item.metricId === 'b')!.triage;
    expect(run(doc, [metric('b', 'stale', 0.1)])).toEqual([]);
    expect(readAgenda(doc).find((item) => item.metricId === 'b')!.triage).toEqual(recovered);
    // A dismissed pivot stays dismissed too.
    run(doc, [metric('b', 'off track', 0.3)]);
    dismissPivot(doc, 'item-b', 'fran', 2_000);
    expect(run(doc, [metric('b', 'stale', 0)])).toEqual([]);
    expect(readAgenda(doc).find((item) => item.metricId === 'b')!.triage!.state).toBe('dismissed');
  });

  it('lists the impact through chains and diamonds of dependencies, each initiative once, with the money', () => {
    const doc = board(['a', 'b']);
    const initiative = (id: string, unrealizedValue: number): TriageInitiative => ({
      id,
      title: `Initiative ${id}`,
      owner: `Owner ${id}`,
      team: 'Team',
      unrealizedValue,
      currency: 'EUR',
    });
    // i2 and i4 depend on i1; i3 depends on both i2 and i4 (a diamond); i5 is unrelated.
    const edges: Edge[] = [
      { dependentId: 'i2', dependencyId: 'i1' },
      { dependentId: 'i4', dependencyId: 'i1' },
      { dependentId: 'i3', dependencyId: 'i2' },
      { dependentId: 'i3', dependencyId: 'i4' },
      { dependentId: 'i5', dependencyId: 'i9' },
    ];
    run(doc, [metric('b', 'off track', 0.3, ['i1'])], {
      initiatives: ['i1', 'i2', 'i3', 'i4', 'i5'].map((id, index) => initiative(id, (index + 1) * 100)),
      edges,
    });
    const info = readAgenda(doc).find((item) => item.metricId === 'b')!.triage!;
    expect(info.impact.map((entry) => [entry.initiativeId, entry.direct, entry.owner])).toEqual([
      ['i1', true, 'Owner i1'],
      ['i2', false, 'Owner i2'],
      ['i3', false, 'Owner i3'],
      ['i4', false, 'Owner i4'],
    ]);
    expect(info.moneyAtRisk).toBe(100 + 200 + 300 + 400);
  });

  it('is idempotent and never puts a pivot ahead of the current item, whatever the statuses', () => {
    const statuses: Status[] = ['on track', 'at risk', 'off track', 'no data', 'stale'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...statuses), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 1,
          maxLength: 7,
        }),
        fc.nat(),
        (specs, currentSeed) => {
          const names = specs.map((_, index) => `m${index}`);
          const current = currentSeed % names.length;
          const doc = board(names, current);
          const metrics = specs.map(([status, slip], index) => metric(`m${index}`, status, slip));
          const edits = run(doc, metrics);
          expect(readRoom(doc).currentItemId).toBe(`item-m${current}`);
          // Nothing that pivots lands ahead of the item being discussed.
          const agenda = readAgenda(doc);
          const currentAt = agenda.findIndex((item) => item.id === `item-m${current}`);
          for (const edit of edits)
            if (edit.kind === 'pivot' && !edit.inPlace)
              expect(agenda.findIndex((item) => item.id === edit.itemId)).toBeGreaterThan(currentAt);
          expect(run(doc, metrics)).toEqual([]);
          // New pivots after the current item are in order of slip, worst first.
          const after = readAgenda(doc)
            .slice(current + 1)
            .filter((item) => item.triage?.state === 'active');
          const slips = after.map((item) => item.triage!.slip);
          expect(slips).toEqual([...slips].sort((a, b) => b - a));
        },
      ),
    );
  });
});
