// The minutes as a Markdown document. Everything people typed is escaped, so a note cannot turn into a link, an
// image, raw HTML or a heading in the rendered file; links are only the ones the minutes make themselves.
import type { DecisionStatus, Minutes, MinutesDecision, MinutesPivot } from './minutes.ts';

/**
 * Characters that carry meaning anywhere on a line (CommonMark allows a backslash before any of them); `@` also
 * makes an email address a link in GFM.
 */
const INLINE_SPECIAL = /[\\`*_[\]<>|~&!@]/g;
/**
 * What else GFM turns into a link without any markup (its extended autolinks): `www.`, a scheme followed by `//`,
 * `mailto:` and `xmpp:`. A backslash inside the pattern breaks it, and a renderer shows the text unchanged.
 */
const BARE_LINK = /(www)\.|([a-z][a-z0-9+.-]*):(?=\/\/)|(mailto|xmpp):/gi;
/** What starts a block when it opens a line: heading, quote, list, thematic break, setext underline, ordered list. */
const LINE_START = /^(\s*)(#|>|-|\+|=|(\d{1,9})([.)]))/;

/** One line of text, safe inside a paragraph, a list item or a table cell (line breaks become spaces). */
export function escapeMarkdown(text: string): string {
  const flat = text.replace(/\s*[\r\n]+\s*/g, ' ');
  return flat
    .replace(INLINE_SPECIAL, '\\$&')
    .replace(BARE_LINK, (_all, www?: string, scheme?: string, protocol?: string) =>
      www ? `${www}\\.` : `${scheme ?? protocol}\\:`,
    )
    .replace(LINE_START, (_all, space: string, token: string, digits?: string, mark?: string) =>
      digits ? `${space}${digits}\\${mark}` : `${space}\\${token}`,
    );
}

/** Multi-line text (notes) as a block quote, each line escaped on its own. */
export function quoteBlock(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => (line.trim() ? `> ${escapeMarkdown(line)}` : '>'))
    .join('\n');
}

const STATUS_LABEL: Record<DecisionStatus, string> = {
  draft: 'draft, not recorded',
  proposed: 'awaiting the owner’s commitment',
  committed: 'committed',
  done: 'done',
  dropped: 'dropped',
};

/** `2026-11-24 09:05 UTC`. */
export function formatMoment(iso: string | null): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const link = (label: string, href: string | null, origin: string) =>
  href ? `[${escapeMarkdown(label)}](<${origin}${href.replace(/[<>\s]/g, encodeURIComponent)}>)` : '';

function decisionLine(decision: MinutesDecision, origin: string): string {
  const parts = [
    `**${escapeMarkdown(decision.title || 'Untitled decision')}**`,
    // A draft may have no owner or due date yet: the line leaves them out rather than saying "not set".
    ...(decision.owner ? [`owner ${escapeMarkdown(decision.owner.name)}`] : []),
    ...(decision.dueDate ? [`due ${decision.dueDate}`] : []),
    (decision.status === 'committed' && decision.committedAt
      ? `committed ${formatMoment(decision.committedAt)}`
      : STATUS_LABEL[decision.status] +
        (decision.committedAt ? ` (committed ${formatMoment(decision.committedAt)})` : '')) +
      (decision.dropReason ? `: ${escapeMarkdown(decision.dropReason)}` : ''),
  ];
  const replay = link('replay', decision.replayLink, origin);
  return `- ${parts.join(' · ')}${replay ? ` · ${replay}` : ''}`;
}

function pivotOutcome(pivot: MinutesPivot): string {
  switch (pivot.outcome) {
    case 'dismissed':
      return `dismissed${pivot.dismissedBy ? ` by ${escapeMarkdown(pivot.dismissedBy)}` : ''}${
        pivot.dismissedAt ? ` at ${formatMoment(pivot.dismissedAt)}` : ''
      }`;
    case 'recovered':
      // The reason stays the one it pivoted with; where the metric stands is told after it (issue 19).
      return `recovered${pivot.recoveredAt ? ` at ${formatMoment(pivot.recoveredAt)}` : ''}${
        pivot.current ? `. Now: ${escapeMarkdown(pivot.current)}` : ''
      }`;
    default:
      return 'still open at the close';
  }
}

/**
 * The minutes as Markdown. `origin` (e.g. https://lastmile.example.com) makes the replay links absolute; empty
 * keeps them relative.
 */
export function renderMinutesMarkdown(minutes: Minutes, options: { origin?: string } = {}): string {
  const origin = options.origin ?? '';
  const { review } = minutes;
  const out: string[] = [];
  out.push(`# Minutes: ${escapeMarkdown(review.title)}`, '');
  if (minutes.draft) out.push('_Draft: the review is still live; these minutes will change._', '');
  const facts = [
    review.series ? `**Series:** ${escapeMarkdown(review.series)}` : null,
    `**Scheduled:** ${formatMoment(review.scheduledAt)}`,
    `**Held:** ${formatMoment(review.startedAt)} to ${review.closedAt ? formatMoment(review.closedAt) : 'now'}` +
      (review.durationMinutes !== null ? ` (${review.durationMinutes} min)` : ''),
    `**Facilitator:** ${minutes.facilitator ? escapeMarkdown(minutes.facilitator.name) : 'none'}`,
  ].filter((line): line is string => line !== null);
  out.push(facts.join('  \n'), '');

  out.push('## Attendees', '');
  if (minutes.attendees.length === 0) out.push('Nobody joined the room.');
  for (const person of minutes.attendees)
    out.push(`- ${escapeMarkdown(person.name)} (${person.facilitator ? 'facilitator' : person.role})`);
  if (minutes.absent.length)
    out.push('', `Invited but not in the room: ${minutes.absent.map((p) => escapeMarkdown(p.name)).join(', ')}.`);
  out.push('');

  out.push('## Decisions', '');
  if (minutes.decisions.length === 0) out.push('No decisions were recorded.');
  for (const decision of minutes.decisions) out.push(decisionLine(decision, origin));
  out.push('');

  if (minutes.pivots.length) {
    out.push('## Pivots', '');
    for (const pivot of minutes.pivots)
      out.push(
        `- **${escapeMarkdown(pivot.itemTitle)}**: ${escapeMarkdown(pivot.why)}, ${formatMoment(pivot.pivotedAt)}; ` +
          `${pivotOutcome(pivot)} · ${link('replay', pivot.replayLink, origin)}`,
      );
    out.push('');
  }

  const check = minutes.commitmentsCheck;
  if (check) {
    const { counts } = check;
    out.push(`## ${escapeMarkdown(check.title)}`, '');
    out.push(
      check.entries.length
        ? `${check.entries.length} open item${check.entries.length === 1 ? '' : 's'} from earlier reviews: ` +
            `${counts.done} done, ${counts.committed} committed, ${counts.proposed} awaiting commitment, ` +
            `${counts.dropped} dropped; ${counts.overdue} overdue.`
        : 'Nothing was open from earlier reviews.',
      '',
    );
    for (const entry of check.entries)
      out.push(
        `- ${escapeMarkdown(entry.title)} · ${escapeMarkdown(entry.owner)} · due ${entry.dueDate} · ${entry.status}` +
          `${entry.overdue ? ' · **overdue**' : ''} (from ${escapeMarkdown(entry.reviewTitle)})`,
      );
    out.push('');
  }

  out.push('## Agenda', '');
  for (const item of minutes.items) {
    out.push(`### ${item.position}\\. ${escapeMarkdown(item.title)}`, '');
    const about = [
      item.kind === 'status-update' ? null : item.kind.replace('-', ' '),
      item.presenter ? `presented by ${escapeMarkdown(item.presenter)}` : null,
    ].filter(Boolean);
    if (about.length) out.push(`_${about.join(', ')}_`, '');
    if (item.pivot) out.push(`Pivot: ${escapeMarkdown(item.pivot.why)}; ${pivotOutcome(item.pivot)}.`, '');
    out.push(item.notes ? quoteBlock(item.notes) : '_No notes._', '');
    if (item.decisions.length) {
      out.push('Decisions:', '');
      for (const decision of item.decisions) out.push(decisionLine(decision, origin));
      out.push('');
    }
  }
  out.push(`_Generated by Lastmile at ${formatMoment(minutes.generatedAt)}._`, '');
  return out.join('\n');
}
