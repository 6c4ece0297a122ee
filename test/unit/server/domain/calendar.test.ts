import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, renderCalendar } from '../../../../server/domain/calendar.ts';

const octets = (line: string) => new TextEncoder().encode(line).length;

describe('calendar feed', () => {
  const now = new Date('2026-03-08T12:34:56.789Z');
  const item = {
    id: '6f1c2b9e-0000-4000-8000-000000000001',
    title: 'Pilot eco-driving; north, south\\east',
    dueDate: '2026-03-31',
    status: 'committed',
    organizationName: 'Acme',
    url: 'https://lastmile.example.com/actions/6f1c2b9e-0000-4000-8000-000000000001',
  };

  it('writes one all-day event per item with CRLF line endings', () => {
    const text = renderCalendar([item], { name: 'Ana', now });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.replace(/\r\n /g, '').split('\r\n');
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines).toContain(`UID:${item.id}`);
    expect(lines).toContain('DTSTAMP:20260308T123456Z');
    expect(lines).toContain('DTSTART;VALUE=DATE:20260331');
    expect(lines).toContain('DTEND;VALUE=DATE:20260401');
    expect(lines).toContain('SUMMARY:Pilot eco-driving\\; north\\, south\\\\east');
    expect(lines).toContain(`URL:${item.url}`);
    expect(lines.filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(1);
  });

  it('leaves out the URL when there is none, and is a valid empty calendar without items', () => {
    expect(renderCalendar([{ ...item, url: null }], { name: 'Ana', now })).not.toContain('URL:');
    expect(renderCalendar([], { name: 'Ana', now })).toMatch(/^BEGIN:VCALENDAR\r\n[\s\S]*END:VCALENDAR\r\n$/);
  });

  it('folds long lines at 75 octets without splitting a character', () => {
    const line = `SUMMARY:${'Überprüfung der Lieferzeiten — '.repeat(6)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.every((part) => octets(part) <= 75)).toBe(true);
    expect(parts.slice(1).every((part) => part.startsWith(' '))).toBe(true);
    expect(parts.map((part, i) => (i ? part.slice(1) : part)).join('')).toBe(line);
    expect(foldLine('SHORT:x')).toBe('SHORT:x');
  });

  it('escapes newlines in text', () => {
    expect(escapeText('a\nb\r\nc')).toBe('a\\nb\\nc');
  });
});
