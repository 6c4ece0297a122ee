import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  externalHref,
  INVALID_INVITE,
  inviteParam,
  isToken,
  isUuid,
  sameSitePath,
} from '../../../src/lib/api/link-values.ts';
import { apiPath, InvalidSegmentError, pageHref, pagePath, withQuery } from '../../../src/lib/api/paths.ts';

const BASE = 'https://lastmile.example';
const UUID = '3f2b6c1e-8d4a-4b7e-9c2f-1a5d6e7f8091';
const TOKEN = 'abcdefghijklmnopqrstuvwxyz234567';

/** Either the path the browser would request for `apiPath\`/reviews/${value}/close\``, or undefined if refused. */
function closePathFor(value: string): string | undefined {
  try {
    return apiPath`/reviews/${value}/close`;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidSegmentError);
    return undefined;
  }
}

describe('apiPath', () => {
  it('puts each value into one encoded segment under /api', () => {
    expect(apiPath`/reviews/${UUID}/close`).toBe(`/api/reviews/${UUID}/close`);
    expect(apiPath`/invites/${'../reviews/x/close#'}/accept`).toBe('/api/invites/..%2Freviews%2Fx%2Fclose%23/accept');
    expect(apiPath`/orgs/${'a b?c=d'}/actions.csv`).toBe('/api/orgs/a%20b%3Fc%3Dd/actions.csv');
    expect(apiPath`/me`).toBe('/api/me');
    expect(apiPath`/metrics/${42}`).toBe('/api/metrics/42');
  });

  it('refuses empty, dot and dot-dot segments, which URLs would resolve', () => {
    for (const value of ['', '.', '..']) {
      expect(() => apiPath`/invites/${value}/accept`).toThrow(InvalidSegmentError);
    }
    expect(() => apiPath`/invites/${'\ud800'}/accept`).toThrow(InvalidSegmentError);
    expect(() => apiPath`/invites/${undefined as unknown as string}/accept`).toThrow(InvalidSegmentError);
    expect(() => apiPath`/metrics/${Number.NaN}`).toThrow(InvalidSegmentError);
  });

  it('refuses templates where a value would not fill a whole segment, or a query or fragment', () => {
    expect(() => apiPath`/invites/x${TOKEN}/accept`).toThrow(TypeError);
    expect(() => apiPath`/invites/${TOKEN}x`).toThrow(TypeError);
    expect(() => apiPath`/me/actions?status=done`).toThrow(TypeError);
    expect(() => apiPath`/reviews/#top`).toThrow(TypeError);
    expect(() => apiPath`/reviews/../me`).toThrow(TypeError);
    expect(() => pagePath`//evil.example/${UUID}`).toThrow(TypeError);
    expect(() => apiPath`reviews/${UUID}`).toThrow(TypeError);
  });

  it('never lets any string add a segment, climb with .., or start a query or fragment', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        const path = closePathFor(value);
        if (path === undefined) return;
        const segments = path.split('/');
        expect(segments).toHaveLength(5);
        expect(segments.slice(0, 3)).toEqual(['', 'api', 'reviews']);
        expect(segments[4]).toBe('close');
        expect(segments[3]).not.toMatch(/^(\.|%2e){1,2}$/i);
        expect(path).not.toMatch(/[?#]/);
        // The browser requests exactly this path, and the server decodes the segment back to the value.
        const url = new URL(path, BASE);
        expect(url.pathname).toBe(path);
        expect(url.search + url.hash).toBe('');
        expect(decodeURIComponent(segments[3]!)).toBe(value);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps dot-like values that URLs would resolve out of the path', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(\.|%2e|%2E){0,3}$/), (value) => {
        const path = closePathFor(value);
        if (path === undefined) return;
        expect(new URL(path, BASE).pathname).toBe(path);
      }),
    );
  });
});

describe('pageHref', () => {
  it('gives no link rather than failing for values from shared data', () => {
    expect(pageHref`/actions/${UUID}`).toBe(`/actions/${UUID}`);
    expect(pageHref`/actions/${null}`).toBeUndefined();
    expect(pageHref`/actions/${'..'}`).toBeUndefined();
    expect(pageHref`/actions/${'../orgs'}`).toBe('/actions/..%2Forgs');
  });
});

describe('withQuery', () => {
  it('encodes keys and values and leaves out missing ones', () => {
    expect(withQuery(apiPath`/me/notifications`, { limit: 15, before: undefined })).toBe(
      '/api/me/notifications?limit=15',
    );
    expect(withQuery('/login', { invite: 'a&b=c#d' })).toBe('/login?invite=a%26b%3Dc%23d');
    expect(withQuery('/x', [['k#', 'v']])).toBe('/x?k%23=v');
    expect(withQuery('/x', {})).toBe('/x');
  });
});

describe('link values', () => {
  it('knows ids and tokens by their shape', () => {
    expect(isUuid(UUID)).toBe(true);
    expect(isUuid(UUID.toUpperCase())).toBe(true);
    expect(isUuid(`${UUID}/close`)).toBe(false);
    expect(isUuid('..')).toBe(false);
    expect(isUuid(undefined)).toBe(false);
    expect(isToken(TOKEN)).toBe(true);
    expect(isToken(TOKEN.toUpperCase())).toBe(false);
    expect(isToken(`${TOKEN}a`)).toBe(false);
    expect(isToken('..%2Freviews%2Fx%2Fclose%23')).toBe(false);
  });

  it('accepts as a token exactly what the server generates', async () => {
    const { generateToken } = await import('../../../server/auth/tokens.ts');
    for (let i = 0; i < 200; i++) expect(isToken(generateToken())).toBe(true);
  });

  it('refuses ?invite= values that are not tokens before any request', () => {
    expect(inviteParam(new URLSearchParams('invite=..%2Freviews%2Fx%2Fclose%23'))).toEqual({ kind: 'invalid' });
    expect(inviteParam(new URLSearchParams(`invite=${TOKEN}`))).toEqual({ kind: 'valid', token: TOKEN });
    expect(inviteParam(new URLSearchParams('next=/x'))).toEqual({ kind: 'none' });
    expect(INVALID_INVITE).toBe('This invitation link is not valid');
  });

  it('keeps same-site paths and http(s) addresses only', () => {
    expect(sameSitePath('/reviews/x/replay?at=1')).toBe('/reviews/x/replay?at=1');
    expect(sameSitePath('//evil.example')).toBeUndefined();
    expect(sameSitePath('/\\evil.example')).toBeUndefined();
    expect(sameSitePath('https://evil.example')).toBeUndefined();
    expect(externalHref('https://jira.example/browse/OPS-1')).toBe('https://jira.example/browse/OPS-1');
    expect(externalHref('javascript:alert(1)')).toBeUndefined();
    expect(externalHref('data:text/html,x')).toBeUndefined();
    expect(externalHref('not a url')).toBeUndefined();
  });
});
