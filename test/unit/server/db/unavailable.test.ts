import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../../../server/db/unavailable.ts';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    '57014',
    '57P01',
    '57P03',
    '08006',
    'CONNECT_TIMEOUT',
    'CONNECTION_CLOSED',
    'CONNECTION_ENDED',
    'ECONNREFUSED',
  ])('counts %s as the database not answering', (code) => expect(isDatabaseUnavailable(withCode(code))).toBe(true));

  it('looks through errors that wrap one', () => {
    expect(isDatabaseUnavailable(new Error('import failed', { cause: withCode('57014') }))).toBe(true);
  });

  it.each(['23505', '23503', '22P02', '3D000', '42P01', 'ERR_SOMETHING'])('leaves %s to the other handlers', (code) =>
    expect(isDatabaseUnavailable(withCode(code))).toBe(false),
  );

  it('leaves errors without a code and non-errors alone', () => {
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable({ code: '57014' })).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
