// GFM's extended autolinks (spec section 6.9) written as patterns on the Markdown source: no Markdown renderer is
// among the dependencies, and these are the rules GitHub's cmark-gfm applies to text without any markup.
import { describe, expect, it } from 'vitest';
import { escapeMarkdown, quoteBlock } from '../../../../server/domain/minutes-markdown.ts';

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
