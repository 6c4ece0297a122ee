import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCommitmentsCheck,
  draftDecision,
  initializeBoard,
  itemsOf,
  markDecision,
  notesOf,
  readAgenda,
  readRoom,
} from '../../../../server/domain/board.ts';
import { buildMinutes, minutesSummary, type MinutesInput } from '../../../../server/domain/minutes.ts';
import { escapeMarkdown, quoteBlock, renderMinutesMarkdown } from '../../../../server/domain/minutes-markdown.ts';
import { markMinutesReady, readRecap } from '../../../../server/domain/recap.ts';
import type { TriageInfo } from '../../../../server/domain/triage-info.ts';

const FRAN = '00000000-0000-4000-8000-00000000000f';
const SOFIA = '00000000-0000-4000-8000-00000000000a';
const VIC = '00000000-0000-4000-8000-00000000000b';
const REVIEW = '00000000-0000-4000-8000-0000000000aa';
const T0 = Date.parse('2026-11-24T09:00:00Z');
const min = (n: number) => T0 + n * 60_000;

/** A scripted review: three items, notes, a pivot set aside, a decision committed, one drafted, a commitments check. */
function scriptedInput(overrides: Partial<MinutesInput> = {}): MinutesInput {
  const doc = new Y.Doc();
  initializeBoard(
    doc,
    [
      { id: 'i-cost', kind: 'status-update', title: 'Fuel cost savings', metricId: 'm-cost', presenterId: SOFIA },
      { id: 'i-scan', kind: 'status-update', title: 'Handheld scanner rollout', presenterId: VIC },
      { id: 'i-free', kind: 'free', title: 'Any other business' },
    ],
    { facilitatorId: FRAN },
  );
  notesOf(doc, 'i-cost')!.insert(0, 'Diesel up 9%.\n\n# not a heading\n[click](http://evil.example) <b>x</b>');
  notesOf(doc, 'i-scan')!.insert(0, 'On track in the north.');
  const triage: TriageInfo = {
    metricId: 'm-cost',
    state: 'dismissed',
    why: 'Fuel cost savings 18% behind plan (threshold 15%)',
    slip: 0.18,
    threshold: 0.15,
    latest: null,
    trend: 'worsening',
    impact: [],
    moneyAtRisk: 0,
    currency: null,
    pivotedAt: min(2),
    recoveredAt: null,
    dismissedBy: FRAN,
    dismissedAt: min(5),
  };
  itemsOf(doc).get('i-cost')!.set('triage', triage);
  markDecision(
    doc,
    'i-cost',
    {
      id: 'a-hedge',
      title: 'Hedge fuel for Q1',
      ownerId: SOFIA,
      dueDate: '2026-12-15',
      metricId: null,
      initiativeId: null,
      expectedMaxSlip: null,
      expectedBy: null,
      createdBy: FRAN,
      status: 'proposed',
      proposedDueDate: null,
      committedAt: null,
      verification: null,
    },
    min(10),
  );
  draftDecision(
    doc,
    'i-scan',
    { id: 'd-draft', title: 'Pilot in the south', ownerId: VIC, dueDate: null, createdBy: FRAN },
    min(20),
  );
  addCommitmentsCheck(
    doc,
    [
      {
        id: 'a-old',
        title: 'Renegotiate the depot lease',
        ownerId: VIC,
        ownerName: 'Vic Ops',
        dueDate: '2026-11-01',
        status: 'committed',
        overdue: true,
        verification: null,
        reviewTitle: 'Weekly ops review 2026-11-17',
      },
    ],
    'i-check',
  );
  return {
    review: {
      id: REVIEW,
      title: 'Weekly ops review',
      series: 'Weekly ops review',
      scheduledAt: new Date(T0).toISOString(),
      startedAt: new Date(min(0)).toISOString(),
      closedAt: new Date(min(47)).toISOString(),
      status: 'closed',
    },
    agenda: readAgenda(doc),
    room: readRoom(doc),
    events: [
      { id: '1', kind: 'review.started', at: min(0), actorId: FRAN, data: {} },
      { id: '2', kind: 'room.joined', at: min(0), actorId: FRAN, data: {} },
      { id: '3', kind: 'room.joined', at: min(1), actorId: SOFIA, data: {} },
      { id: '4', kind: 'room.left', at: min(3), actorId: SOFIA, data: {} },
      { id: '5', kind: 'room.joined', at: min(4), actorId: SOFIA, data: {} },
      { id: '6', kind: 'triage.pivoted', at: min(2), actorId: null, data: { itemId: 'i-cost' } },
      { id: '7', kind: 'action.recorded', at: min(10), actorId: FRAN, data: { actionId: 'a-hedge' } },
      { id: '8', kind: 'action.recorded', at: min(30), actorId: FRAN, data: { actionId: 'a-api' } },
    ],
    participants: [
      { userId: FRAN, name: 'Fran Facilitator', role: 'facilitator' },
      { userId: SOFIA, name: 'Sofia Owner', role: 'owner' },
      { userId: VIC, name: 'Vic Ops', role: 'viewer' },
    ],
    actions: [
      {
        id: 'a-hedge',
        reviewId: REVIEW,
        itemId: 'i-cost',
        // PostgreSQL is the truth: committed since the board said "proposed", and renamed.
        title: 'Hedge diesel for Q1',
        ownerId: SOFIA,
        ownerName: 'Sofia Owner',
        dueDate: '2026-12-20',
        status: 'committed',
        committedAt: new Date(min(12)).toISOString(),
        dropReason: null,
      },
      {
        id: 'a-api',
        reviewId: REVIEW,
        itemId: null,
        title: 'Speed up the dispatch API',
        ownerId: VIC,
        ownerName: 'Vic Ops',
        dueDate: '2027-01-10',
        status: 'proposed',
        committedAt: null,
        dropReason: null,
      },
      {
        id: 'a-old',
        reviewId: 'another-review',
        itemId: null,
        title: 'Renegotiate the depot lease',
        ownerId: VIC,
        ownerName: 'Vic Ops',
        dueDate: '2026-11-01',
        status: 'done',
        committedAt: null,
        dropReason: null,
      },
    ],
    names: { [FRAN]: 'Fran Facilitator', [SOFIA]: 'Sofia Owner', [VIC]: 'Vic Ops' },
    replayPath: `/reviews/${REVIEW}/replay`,
    generatedAt: new Date(min(48)).toISOString(),
    ...overrides,
  };
}

describe('buildMinutes', () => {
  const minutes = buildMinutes(scriptedInput());

  it('lists who joined, once each, with the facilitator marked, and who never came', () => {
    expect(minutes.attendees.map((a) => [a.name, a.role, a.facilitator])).toEqual([
      ['Fran Facilitator', 'facilitator', true],
      ['Sofia Owner', 'owner', false],
    ]);
    expect(minutes.absent.map((a) => a.name)).toEqual(['Vic Ops']);
    expect(minutes.facilitator).toEqual({ id: FRAN, name: 'Fran Facilitator' });
    expect(minutes.review.durationMinutes).toBe(47);
    expect(minutes.draft).toBe(false);
  });

  it('keeps the agenda in order with its final notes and presenters', () => {
    expect(minutes.items.map((i) => [i.position, i.title, i.presenter])).toEqual([
      [1, 'Fuel cost savings', 'Sofia Owner'],
      [2, 'Handheld scanner rollout', 'Vic Ops'],
      [3, 'Any other business', null],
      [4, 'Commitments check', null],
    ]);
    expect(minutes.items[1]!.notes).toBe('On track in the north.');
  });

  it('tells why each pivot happened and that it was set aside, by whom', () => {
    expect(minutes.pivots).toEqual([
      expect.objectContaining({
        itemTitle: 'Fuel cost savings',
        why: 'Fuel cost savings 18% behind plan (threshold 15%)',
        outcome: 'dismissed',
        dismissedBy: 'Fran Facilitator',
        replayLink: `/reviews/${REVIEW}/replay?at=${min(2)}`,
      }),
    ]);
  });

  it('takes owners, due dates and status from the action items, with a deep link to the moment', () => {
    expect(minutes.decisions.map((d) => [d.title, d.owner?.name, d.dueDate, d.status, d.replayLink])).toEqual([
      ['Hedge diesel for Q1', 'Sofia Owner', '2026-12-20', 'committed', `/reviews/${REVIEW}/replay?at=${min(10)}`],
      ['Speed up the dispatch API', 'Vic Ops', '2027-01-10', 'proposed', `/reviews/${REVIEW}/replay?at=${min(30)}`],
      ['Pilot in the south', 'Vic Ops', null, 'draft', null],
    ]);
    expect(minutes.items[0]!.decisions[0]!.committedAt).toBe(new Date(min(12)).toISOString());
  });

  it('reports the commitments check with the current status of each item', () => {
    expect(minutes.commitmentsCheck?.entries).toEqual([
      expect.objectContaining({ title: 'Renegotiate the depot lease', status: 'done', overdue: false }),
    ]);
    expect(minutes.commitmentsCheck?.counts).toMatchObject({ done: 1, overdue: 0 });
  });

  it('marks a live review as a draft, timed up to now', () => {
    const input = scriptedInput();
    const draft = buildMinutes({ ...input, review: { ...input.review, status: 'live', closedAt: null } });
    expect(draft.draft).toBe(true);
    expect(draft.review.durationMinutes).toBe(48);
  });

  it('summarizes for the recap, and the board carries the recap', () => {
    const summary = minutesSummary(minutes);
    expect(summary).toEqual({ attendees: 2, items: 4, pivots: 1, decisions: 2, committed: 1, durationMinutes: 47 });
    const doc = new Y.Doc();
    expect(readRecap(doc).minutesReady).toBe(false);
    markMinutesReady(doc, min(47), summary);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(readRecap(copy)).toEqual({ minutesReady: true, closedAt: min(47), summary });
  });
});

describe('renderMinutesMarkdown', () => {
  const markdown = renderMinutesMarkdown(buildMinutes(scriptedInput()), { origin: 'https://lm.example' });

  it('writes the facts, attendees, decisions with absolute replay links, pivots and agenda', () => {
    expect(markdown).toContain('# Minutes: Weekly ops review');
    expect(markdown).toContain('**Held:** 2026-11-24 09:00 UTC to 2026-11-24 09:47 UTC (47 min)');
    expect(markdown).toContain('- Fran Facilitator (facilitator)');
    expect(markdown).toContain('Invited but not in the room: Vic Ops.');
    expect(markdown).toContain(
      `- **Hedge diesel for Q1** · owner Sofia Owner · due 2026-12-20 · committed 2026-11-24 09:12 UTC · [replay](<https://lm.example/reviews/${REVIEW}/replay?at=${min(10)}>)`,
    );
    expect(markdown).toContain('dismissed by Fran Facilitator at 2026-11-24 09:05 UTC');
    expect(markdown).toContain('### 2\\. Handheld scanner rollout');
    expect(markdown).toContain('1 open item from earlier reviews: 1 done');
  });

  it('escapes what people typed, so notes cannot become headings, links or HTML', () => {
    expect(markdown).toContain('> \\# not a heading');
    expect(markdown).toContain('> \\[click\\](http\\://evil.example) \\<b\\>x\\</b\\>');
    expect(markdown).not.toContain('[click](');
    expect(markdown).not.toMatch(/^#+ not a heading/m);
  });

  it('escapes inline markup and block starts', () => {
    expect(escapeMarkdown('a *b* _c_ `d` [e](f) <g> | & ~h~ !')).toBe(
      'a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<g\\> \\| \\& \\~h\\~ \\!',
    );
    expect(escapeMarkdown('# title')).toBe('\\# title');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('> quote')).toBe('\\> quote');
    expect(escapeMarkdown('12. twelve')).toBe('12\\. twelve');
    expect(escapeMarkdown('two\nlines')).toBe('two lines');
    expect(escapeMarkdown('back\\slash')).toBe('back\\\\slash');
    expect(quoteBlock('one\n\n- two')).toBe('> one\n>\n> \\- two');
  });

  it('says so when nothing happened', () => {
    const input = scriptedInput();
    const empty = renderMinutesMarkdown(
      buildMinutes({ ...input, agenda: [], events: [], actions: [], participants: [] }),
    );
    expect(empty).toContain('Nobody joined the room.');
    expect(empty).toContain('No decisions were recorded.');
    expect(empty).not.toContain('## Pivots');
  });
});
