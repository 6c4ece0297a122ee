import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.ts';

describe('loadConfig', () => {
  it('has defaults for a bare machine', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      dataDir: './data',
      seedDemo: true,
    });
    expect(config.allowedOrigins).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000']);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).port).toBe(3000);
  });

  it('reports every bad value with its name and the reason', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://db', PUBLIC_URL: 'ftp://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual([
      'PORT: must be a whole number from 0 to 65535',
      'PUBLIC_URL: must be an http(s) URL such as http://localhost:3000',
      'DATABASE_URL: must start with postgres:// or postgresql://',
      expect.stringMatching(/^LOG_LEVEL: /),
    ]);
  });

  it('adds extra allowed origins for the dev server', () => {
    const config = loadConfig({
      PUBLIC_URL: 'https://lastmile.example.com/',
      ALLOWED_ORIGINS: 'http://localhost:5173',
    });
    expect(config.allowedOrigins).toEqual(['https://lastmile.example.com', 'http://localhost:5173']);
  });

  it('rejects a malformed extra origin', () => {
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'not a url' })).toThrow(/ALLOWED_ORIGINS/);
  });

  it('bounds how long the database may take: 10 s per statement and 10 s to connect unless set', () => {
    expect(loadConfig({}).databaseTimeouts).toEqual({ statementMs: 10_000, connectSeconds: 10 });
    expect(
      loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '2500', DATABASE_CONNECT_TIMEOUT_S: '3' }).databaseTimeouts,
    ).toEqual({ statementMs: 2500, connectSeconds: 3 });
    // 0 turns the statement limit off, as in PostgreSQL.
    expect(loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '0' }).databaseTimeouts.statementMs).toBe(0);
    expect(Object.isFrozen(loadConfig({}).databaseTimeouts)).toBe(true);
  });

  it.each([
    ['DATABASE_STATEMENT_TIMEOUT_MS', '-1'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '1.5'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', 'ten seconds'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '2147483648'],
    ['DATABASE_CONNECT_TIMEOUT_S', '0'],
    ['DATABASE_CONNECT_TIMEOUT_S', '601'],
    ['DATABASE_CONNECT_TIMEOUT_S', '2.5'],
    ['DATABASE_CONNECT_TIMEOUT_S', 'soon'],
  ])('refuses %s=%s, naming it', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.stringMatching(new RegExp(`^${name}: must be a whole number of (milli)?seconds from `)),
    ]);
  });

  it('lets a reading be dated up to 24 hours ahead unless READING_FUTURE_TOLERANCE_HOURS says otherwise', () => {
    expect(loadConfig({}).readingFutureToleranceMs).toBe(24 * 3600_000);
    expect(loadConfig({ READING_FUTURE_TOLERANCE_HOURS: '2' }).readingFutureToleranceMs).toBe(2 * 3600_000);
    // 0: no reading may be dated after the server's clock.
    expect(loadConfig({ READING_FUTURE_TOLERANCE_HOURS: '0' }).readingFutureToleranceMs).toBe(0);
    for (const bad of ['-1', '1.5', 'a day', '8761']) {
      expect(() => loadConfig({ READING_FUTURE_TOLERANCE_HOURS: bad })).toThrow(
        'READING_FUTURE_TOLERANCE_HOURS: must be a whole number of hours from 0 to 8760 (a year)',
      );
    }
  });
});
