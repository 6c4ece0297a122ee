// Every state-changing route of the API, enumerated from the OpenAPI document, refuses a cookie-authenticated
// request from another origin or without one (403, nothing written), and every route but the public ones
// refuses a request without credentials (401).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/client.ts';
import { reviewFixture } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
let routes: { method: string; path: string }[];

/** Routes anyone may call: signing up and in, invite previews, public share links and health. */
const PUBLIC = [/^\/api\/auth\/(signup|login|logout)$/, /^\/api\/invites\/[^/]+$/, /^\/api\/shared\//, /^\/healthz$/];

beforeAll(async () => {
  server = await startTestServer();
  fixture = await reviewFixture(server.origin);
  const document = (await (await fetch(`${server.origin}/api/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({
      method: method.toUpperCase(),
      // Path parameters get well-formed ids of things that exist or not; the checks come first either way.
      path: path.replace(/\{(\w+)\}/g, (_, name: string) =>
        name === 'orgId' ? fixture.org.id : name === 'reviewId' ? fixture.review.id : crypto.randomUUID(),
      ),
    })),
  );
});
afterAll(() => server?.stop());

const changes = () => routes.filter((route) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method));
const counts = async () =>
  (
    await server.db.sql<{ n: number }[]>`
      select (select count(*) from organizations) + (select count(*) from reviews) + (select count(*) from metrics)
        + (select count(*) from action_items) + (select count(*) from sessions) as n
    `
  )[0]!.n;

describe('security matrix', () => {
  it('knows the API: dozens of state-changing routes', () => {
    expect(changes().length).toBeGreaterThan(40);
  });

  it('refuses every cookie-authenticated change from another origin, and without an Origin, with 403', async () => {
    const before = await counts();
    const noOrigin = new ApiClient(server.origin, { sendOrigin: false });
    noOrigin.cookie = fixture.facilitator.client.cookie;
    const failures: string[] = [];
    for (const route of changes()) {
      const forged = await fixture.facilitator.client.request(
        route.method,
        route.path,
        {},
        { origin: 'https://evil.example' },
      );
      if (forged.status !== 403) failures.push(`${route.method} ${route.path} from another origin: ${forged.status}`);
      const bare = await noOrigin.request(route.method, route.path, {});
      if (bare.status !== 403) failures.push(`${route.method} ${route.path} without Origin: ${bare.status}`);
    }
    expect(failures).toEqual([]);
    expect(await counts()).toBe(before);
  });

  it('refuses every non-public route without credentials with 401', async () => {
    const anonymous = new ApiClient(server.origin);
    const failures: string[] = [];
    for (const route of routes) {
      if (PUBLIC.some((pattern) => pattern.test(route.path))) continue;
      if (!route.path.startsWith('/api/')) continue;
      const response = await anonymous.request(route.method, route.path, route.method === 'GET' ? undefined : {});
      if (response.status !== 401) failures.push(`${route.method} ${route.path}: ${response.status}`);
      expect(JSON.stringify(response.body ?? '')).not.toMatch(/\.ts:\d+/);
    }
    expect(failures).toEqual([]);
  });
});
