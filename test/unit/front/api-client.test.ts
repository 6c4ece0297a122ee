// The typed API client: each path parameter is one encoded segment (or the request is refused before it is sent),
// failures become ApiError with what the UI reads, and the compiler refuses requests the server does not take.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../../../src/lib/api/client.ts';
import { InvalidSegmentError } from '../../../src/lib/api/paths.ts';

const UUID = '3f2b6c1e-8d4a-4b7e-9c2f-1a5d6e7f8091';

/** Answers every request with `response` and records what was asked. */
function serve(response: () => Response) {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return response();
  });
  return calls;
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

afterEach(() => vi.unstubAllGlobals());

describe('api', () => {
  it('fills each path parameter as one encoded segment, adds the query and sends the JSON body', async () => {
    const calls = serve(json(200, { ok: true }));
    await api.get('/api/orgs/{orgId}/webhooks/{webhookId}/deliveries', {
      path: { orgId: UUID, webhookId: 'a/b?c#d' },
      query: { limit: 20 },
    });
    await api.patch('/api/actions/{actionId}', { path: { actionId: UUID }, body: { version: 3, status: 'done' } });
    expect(calls.map((call) => [call.init.method, call.url, call.init.body])).toEqual([
      ['GET', `/api/orgs/${UUID}/webhooks/a%2Fb%3Fc%23d/deliveries?limit=20`, undefined],
      ['PATCH', `/api/actions/${UUID}`, JSON.stringify({ version: 3, status: 'done' })],
    ]);
    expect(calls[1]!.init.headers).toEqual({ 'content-type': 'application/json' });
  });

  it('sends a CSV file as text/csv, as it is', async () => {
    const calls = serve(json(202, { import: {} }));
    const csv = 'metric,value\n"Fuel, per km",3.2\n';
    await api.post('/api/orgs/{orgId}/imports', { path: { orgId: UUID }, query: { value: 'value' }, csv });
    expect(calls.map((call) => [call.init.method, call.url, call.init.body, call.init.headers])).toEqual([
      ['POST', `/api/orgs/${UUID}/imports?value=value`, csv, { 'content-type': 'text/csv' }],
    ]);
  });

  it.each(['', '.', '..', '\uD800'])('refuses %j as a path parameter before sending anything', async (value) => {
    const calls = serve(json(200, {}));
    await expect(api.post('/api/reviews/{reviewId}/close', { path: { reviewId: value } })).rejects.toBeInstanceOf(
      InvalidSegmentError,
    );
    expect(calls).toEqual([]);
  });

  it('turns a refusal into an ApiError with its message, issues, code and Retry-After', async () => {
    serve(
      json(
        429,
        { error: 'Slow down', issues: [{ path: 'email', message: 'Too many' }], code: 'throttled' },
        { 'retry-after': '7' },
      ),
    );
    const error: ApiError = await api
      .post('/api/auth/login', { body: { email: 'a@b.c', password: 'x' } })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.message, error.fieldError('email'), error.code, error.retryAfterSeconds]).toEqual([
      429,
      'Slow down',
      'Too many',
      'throttled',
      7,
    ]);
  });

  it('resolves to undefined on 204 and fails with status 0 when the server cannot be reached', async () => {
    serve(() => new Response(null, { status: 204 }));
    await expect(api.post('/api/auth/logout')).resolves.toBeUndefined();
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(api.get('/api/me')).rejects.toMatchObject({ status: 0 });
  });

  it('types requests by the OpenAPI document (checked by `npm run check`)', () => {
    // Never called: the compiler checks these lines, each of which must be an error.
    const mistakes = () => [
      // @ts-expect-error: no such route
      api.get('/api/nope'),
      // @ts-expect-error: the path parameter is missing
      api.get('/api/reviews/{reviewId}'),
      // @ts-expect-error: login needs a password
      api.post('/api/auth/login', { body: { email: 'a@b.c' } }),
      // @ts-expect-error: not a status an action item can have
      api.patch('/api/actions/{actionId}', { path: { actionId: UUID }, body: { status: 'finished' } }),
      // @ts-expect-error: an import takes a CSV file, not JSON
      api.post('/api/orgs/{orgId}/imports/preview', { path: { orgId: UUID }, body: { csv: 'a,b' } }),
      // @ts-expect-error: a JSON operation takes no CSV
      api.post('/api/auth/login', { body: { email: 'a@b.c', password: 'x' }, csv: 'a,b' }),
      // @ts-expect-error: a user's name is text
      api.get('/api/me').then((me): number => me.user.name),
    ];
    expect(typeof mistakes).toBe('function');
  });
});
