import { describe, expect, it } from 'vitest';
import { controlCharacterProblem, dateProblem, readingTimeProblem } from '../../../../server/domain/plausible-input.ts';

describe('controlCharacterProblem', () => {
  it('refuses NUL and the other C0 controls in one line of text, naming the character', () => {
    expect(controlCharacterProblem('a\u0000b', { multiline: false })).toMatch(/U\+0000/);
    for (const character of ['\u0007', '\t', '\n', '\r', '\u001F'])
      expect(controlCharacterProblem(`a${character}b`, { multiline: false })).toBeDefined();
  });

  it('lets multi-line text hold tabs and line breaks, but not NUL, a bell or a lone carriage return', () => {
    expect(controlCharacterProblem('line one\r\n\tline two\n', { multiline: true })).toBeUndefined();
    expect(controlCharacterProblem('a\u0000', { multiline: true })).toMatch(/U\+0000/);
    expect(controlCharacterProblem('a\u0007', { multiline: true })).toMatch(/U\+0007/);
    expect(controlCharacterProblem('a\rb', { multiline: true })).toMatch(/U\+000D/);
  });

  it('accepts ordinary text of any script', () => {
    expect(controlCharacterProblem('Café – 東京 😀', { multiline: false })).toBeUndefined();
  });
});

describe('dateProblem', () => {
  it('accepts 1900-01-01 up to the end of 2199', () => {
    expect(dateProblem(new Date('1900-01-01T00:00:00Z'))).toBeUndefined();
    expect(dateProblem(new Date('2199-12-31T23:59:59.999Z'))).toBeUndefined();
  });

  it('refuses dates PostgreSQL or JavaScript cannot hold, and implausible ones', () => {
    for (const text of ['0000-01-01T00:00:00Z', '1899-12-31T23:59:59Z', '2200-01-01T00:00:00Z', '9999-12-31T23:59:59Z'])
      expect(dateProblem(new Date(text))).toBeDefined();
    expect(dateProblem(new Date('+275760-09-13T00:00:00Z'))).toBeDefined();
    expect(dateProblem(new Date(Number.NaN))).toBe('must be a valid date');
  });
});

describe('readingTimeProblem', () => {
  const now = new Date('2026-11-24T12:00:00Z');

  it('accepts a reading up to a day after now', () => {
    expect(readingTimeProblem(new Date('2026-11-25T12:00:00Z'), now)).toBeUndefined();
    expect(readingTimeProblem(new Date('1900-01-01T00:00:00Z'), now)).toBeUndefined();
  });

  it('refuses a reading more than a day ahead or before 1900', () => {
    expect(readingTimeProblem(new Date('2026-11-25T12:00:01Z'), now)).toMatch(/more than a day after now/);
    expect(readingTimeProblem(new Date('1899-12-31T00:00:00Z'), now)).toMatch(/before 1900-01-01/);
  });

  it('takes the tolerance it is given, and says it in the refusal', () => {
    const twoHours = 2 * 3600_000;
    expect(readingTimeProblem(new Date('2026-11-24T14:00:00Z'), now, twoHours)).toBeUndefined();
    expect(readingTimeProblem(new Date('2026-11-24T14:00:01Z'), now, twoHours)).toBe(
      'must not be more than 2 hours after now (2026-11-24T12:00:00.000Z)',
    );
    expect(readingTimeProblem(new Date('2026-11-24T13:00:01Z'), now, 3600_000)).toMatch(/more than an hour after/);
    expect(readingTimeProblem(new Date('2026-11-24T12:00:00Z'), now, 0)).toBeUndefined();
    expect(readingTimeProblem(new Date('2026-11-24T12:00:01Z'), now, 0)).toBe(
      'must not be after now (2026-11-24T12:00:00.000Z)',
    );
  });
});
