// GFM's extended autolinks (spec section 6.9) written as patterns on the Markdown source: no Markdown renderer is
// among the dependencies, and these are the rules GitHub's cmark-gfm applies to text without any markup. Then how
// a recovered pivot reads: the reason it pivoted with, and where its metric stands now.
import { describe, expect, it } from 'vitest';
import type { Minutes, MinutesPivot } from '../../../../server/domain/minutes.ts';
import { escapeMarkdown, quoteBlock, renderMinutesMarkdown } from '../../../../server/domain/minutes-markdown.ts';

/** Where GFM starts an extended autolink: a line's start, whitespace, or one of * _ ~ ( before it. */
const BEFORE = String.raw`(?:^|[\s*_~(])`;
const DOMAIN = String.raw`[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*`;
const EMAIL = String.raw`[A-Za-z0-9._+-]+@[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+`;
const GFM_AUTOLINKS = {
  www: new RegExp(`${BEFORE}www\\.${DOMAIN}`),
  url: new RegExp(`${BEFORE}(?:https?|ftp)://${DOMAIN}`, 'i'),
  email: new RegExp(EMAIL),
  protocol: new RegExp(`(?:mailto|xmpp):${EMAIL}`, 'i'),
};

const autolinksIn = (markdown: string) =>
  Object.entries(GFM_AUTOLINKS)
    .filter(([, pattern]) => pattern.test(markdown))
    .map(([name]) => name);

/** What a CommonMark renderer shows for backslash escapes: the character itself. */
const shown = (markdown: string) => markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');

const TYPED = [
  'see www.evil.example for details',
  'https://evil.example/login',
  'HTTP://EVIL.EXAMPLE',
  'ftp://files.evil.example',
  '(www.evil.example)',
  '*https://evil.example*',
  'mail ana@evil.example now',
  'mailto:ana@evil.example',
  'xmpp:ana@evil.example',
  'https://www.evil.example/?a=1&b=2',
];

describe('bare URLs in the minutes', () => {
  it('the table is right: each typed text is an autolink in GFM before escaping', () => {
    for (const text of TYPED) expect(autolinksIn(text), text).not.toEqual([]);
  });

  it.each(TYPED)('%j is no autolink once escaped, and reads the same', (text) => {
    const markdown = escapeMarkdown(text);
    expect(autolinksIn(markdown)).toEqual([]);
    expect(shown(markdown)).toBe(text);
  });

  it('breaks them in notes too, line by line', () => {
    const markdown = quoteBlock('first www.evil.example\nthen https://evil.example');
    expect(autolinksIn(markdown)).toEqual([]);
    expect(markdown).toBe('> first www\\.evil.example\n> then https\\://evil.example');
  });

  it('leaves ordinary text with colons and dots alone', () => {
    expect(escapeMarkdown('Note: the 3.5% target, see page 2.')).toBe('Note: the 3.5% target, see page 2.');
  });
});

/** Closed minutes with one agenda item whose pivot is `pivot`. */
function minutesWith(pivot: MinutesPivot): Minutes {
  return {
    version: 1,
    draft: false,
    generatedAt: '2026-11-24T09:50:00.000Z',
    review: {
      id: 'r-1',
      title: 'Weekly ops review',
      series: null,
      scheduledAt: '2026-11-24T09:00:00.000Z',
      startedAt: '2026-11-24T09:00:00.000Z',
      closedAt: '2026-11-24T09:47:00.000Z',
      status: 'closed',
      durationMinutes: 47,
    },
    facilitator: null,
    attendees: [],
    absent: [],
    items: [
      { id: 'i-1', position: 1, kind: 'triage', title: 'Fuel', presenter: null, notes: '', pivot, decisions: [] },
    ],
    pivots: [pivot],
    decisions: [],
    commitmentsCheck: null,
  };
}

const recovered: MinutesPivot = {
  itemId: 'i-1',
  itemTitle: 'Fuel',
  metricId: 'm-1',
  why: 'Fuel *savings* 18% behind plan (threshold 15%)',
  current: 'Fuel *savings* now 1% ahead of plan',
  outcome: 'recovered',
  pivotedAt: '2026-11-24T09:02:00.000Z',
  dismissedBy: null,
  dismissedAt: null,
  recoveredAt: '2026-11-24T09:20:00.000Z',
  replayLink: '/reviews/r-1/replay?at=1',
};

describe('a recovered pivot in the minutes', () => {
  // Issue 19: the minutes read "-1% behind plan" as the reason of a pivot that had recovered.
  it('keeps the reason it pivoted with and tells where the metric stands now, escaped', () => {
    const markdown = renderMinutesMarkdown(minutesWith(recovered));
    expect(markdown).toContain(
      '- **Fuel**: Fuel \\*savings\\* 18% behind plan (threshold 15%), 2026-11-24 09:02 UTC; ' +
        'recovered at 2026-11-24 09:20 UTC. Now: Fuel \\*savings\\* now 1% ahead of plan · [replay](</reviews/r-1/replay?at=1>)',
    );
    expect(markdown).toContain(
      'Pivot: Fuel \\*savings\\* 18% behind plan (threshold 15%); recovered at 2026-11-24 09:20 UTC. ' +
        'Now: Fuel \\*savings\\* now 1% ahead of plan.',
    );
  });

  it('says nothing about now when the pivot is open, set aside, or recovered before the field existed', () => {
    for (const pivot of [
      { ...recovered, outcome: 'open' as const, current: null, recoveredAt: null },
      { ...recovered, outcome: 'dismissed' as const, current: null, recoveredAt: null, dismissedBy: 'Fran' },
      { ...recovered, current: null },
    ]) {
      const markdown = renderMinutesMarkdown(minutesWith(pivot));
      expect(markdown, pivot.outcome).not.toContain('Now:');
      expect(markdown, pivot.outcome).toContain('Fuel \\*savings\\* 18% behind plan');
    }
  });
});

describe('a decision line in the minutes', () => {
  // Issue 27: "owner not set · due not set" leaked into the minutes for drafts.
  it('leaves out an owner or due date that is not set', () => {
    const decision = {
      id: 'd-1',
      itemId: 'i-1',
      itemTitle: 'Fuel',
      title: 'Pilot eco-driving',
      owner: null,
      dueDate: null,
      status: 'draft' as const,
      committedAt: null,
      dropReason: null,
      recordedAt: null,
      replayLink: null,
    };
    const markdown = renderMinutesMarkdown({ ...minutesWith(recovered), decisions: [decision] });
    expect(markdown).toContain('- **Pilot eco-driving** · draft, not recorded');
    expect(markdown).not.toMatch(/not set/);
    const owned = { ...decision, owner: { id: 'u-1', name: 'Sofia' }, dueDate: '2026-12-20' };
    expect(renderMinutesMarkdown({ ...minutesWith(recovered), decisions: [owned] })).toContain(
      '- **Pilot eco-driving** · owner Sofia · due 2026-12-20 · draft, not recorded',
    );
  });
});
