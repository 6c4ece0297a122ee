import { describe, expect, it } from 'vitest';
import type { AgendaItemView } from '../../../server/domain/board.ts';
import type { TriageInfo } from '../../../server/domain/triage-info.ts';
import { itemForPhase, phaseOfItem, phaseToFollow, roomStateOf } from '../../../src/lib/board/room-state.ts';

const triage = (state: TriageInfo['state']): TriageInfo => ({
  metricId: 'm1',
  state,
  why: 'Fuel 18% behind plan (threshold 15%)',
  slip: 0.18,
  threshold: 0.15,
  latest: null,
  trend: 'worsening',
  impact: [],
  moneyAtRisk: 0,
  currency: null,
  pivotedAt: 1,
  recoveredAt: null,
  dismissedBy: null,
  dismissedAt: null,
});

function item(id: string, kind: AgendaItemView['kind'], pivot: TriageInfo['state'] | null = null): AgendaItemView {
  return {
    id,
    kind,
    title: id,
    order: 0,
    metricId: null,
    initiativeId: null,
    presenterId: null,
    timeboxMinutes: 5,
    notes: '',
    votes: {},
    voteTotal: 0,
    decisions: [],
    triage: pivot ? triage(pivot) : null,
    commitments: [],
  };
}

const agenda = [
  item('fuel', 'triage', 'active'),
  item('scanners', 'status-update'),
  item('topic', 'free'),
  item('check', 'commitments-check'),
];

describe('where the room stands', () => {
  it('marks no item "now" while the phase and the item disagree (check-in on a triage item)', () => {
    const state = roomStateOf('live', { phase: 'check-in', currentItemId: 'fuel' }, agenda);
    expect(state.phase).toBe('check-in');
    expect(state.nowItemId).toBeNull();
    expect(state.offerPivot).toBe(true);
  });

  it('marks the item "now" when it belongs to the phase, and a free topic in any phase', () => {
    expect(roomStateOf('live', { phase: 'triage', currentItemId: 'fuel' }, agenda).nowItemId).toBe('fuel');
    expect(roomStateOf('live', { phase: 'metrics', currentItemId: 'scanners' }, agenda).nowItemId).toBe('scanners');
    expect(roomStateOf('live', { phase: 'wrap-up', currentItemId: 'topic' }, agenda).nowItemId).toBe('topic');
    expect(roomStateOf('live', { phase: 'commitments', currentItemId: 'check' }, agenda).nowItemId).toBe('check');
  });

  it('offers the pivot neither in triage nor in wrap-up nor on a closed review', () => {
    expect(roomStateOf('live', { phase: 'metrics', currentItemId: 'scanners' }, agenda).offerPivot).toBe(true);
    expect(roomStateOf('live', { phase: 'triage', currentItemId: 'scanners' }, agenda).offerPivot).toBe(false);
    expect(roomStateOf('live', { phase: 'wrap-up', currentItemId: null }, agenda).offerPivot).toBe(false);
    const closed = roomStateOf('closed', { phase: 'metrics', currentItemId: 'fuel' }, agenda);
    expect(closed).toMatchObject({ phase: null, nowItemId: null, offerPivot: false });
  });

  it('offers no pivot when every pivot was dismissed or recovered', () => {
    const settled = [item('fuel', 'triage', 'dismissed'), item('late', 'triage', 'recovered')];
    expect(roomStateOf('live', { phase: 'metrics', currentItemId: 'fuel' }, settled)).toMatchObject({
      offerPivot: false,
      nowItemId: 'fuel',
    });
  });

  it('moves the phase with the room, and the room with the phase', () => {
    expect(phaseOfItem(agenda[0]!)).toBe('triage');
    expect(phaseToFollow(agenda[0]!, 'check-in')).toBe('triage');
    expect(phaseToFollow(agenda[1]!, 'triage')).toBe('metrics');
    expect(phaseToFollow(agenda[2]!, 'check-in')).toBeNull();
    expect(phaseToFollow(agenda[1]!, 'metrics')).toBeNull();
    expect(itemForPhase(agenda, 'scanners', 'triage')).toBe('fuel');
    expect(itemForPhase(agenda, 'fuel', 'metrics')).toBe('scanners');
    expect(itemForPhase(agenda, 'fuel', 'commitments')).toBe('check');
    expect(itemForPhase(agenda, 'fuel', 'triage')).toBeNull();
    expect(itemForPhase(agenda, 'fuel', 'wrap-up')).toBeNull();
  });

  it('after a move, the phase and the "now" marker agree', () => {
    for (const target of agenda) {
      for (const phase of ['check-in', 'metrics', 'triage', 'commitments', 'wrap-up'] as const) {
        const next = phaseToFollow(target, phase) ?? phase;
        expect(roomStateOf('live', { phase: next, currentItemId: target.id }, agenda).nowItemId).toBe(target.id);
      }
    }
  });
});
