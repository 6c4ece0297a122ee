import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { connect, withDatabase } from '../../server/db/connect.ts';
import { createLogger } from '../../server/logger.ts';
import { ApiClient, signUp } from '../support/client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe('operations', () => {
  it('reports health with a database round trip', async () => {
    const response = await new ApiClient(server.origin).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', database: 'ok' });
  });

  it('publishes the OpenAPI document generated from the route schemas', async () => {
    const { status, body } = await new ApiClient(server.origin).get('/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    for (const path of [
      '/api/auth/signup',
      '/api/auth/login',
      '/api/auth/logout',
      '/api/me',
      '/api/orgs',
      '/api/orgs/{orgId}/tokens',
      '/healthz',
    ]) {
      expect(Object.keys(body.paths), path).toContain(path);
    }
    expect(body.paths['/api/auth/signup'].post.requestBody.content['application/json'].schema).toBeDefined();
    expect(body.components.schemas.Error).toBeDefined();
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const response = await new ApiClient(server.origin).get('/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: 'No such API route', issues: [] });
  });

  it('sends security headers, a CSP and a request id', async () => {
    const response = await fetch(`${server.origin}/healthz`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('failures', () => {
  it('answers with a generic 500 and no stack trace when the database is gone, and health says 503', async () => {
    const brokenSql = connect(withDatabase(inject('adminDatabaseUrl'), 'lastmile_does_not_exist'), { max: 1 });
    const app = createApp({
      sql: brokenSql,
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      logger: createLogger('silent'),
    });
    try {
      const me = await app.request('/api/me', {
        headers: { cookie: 'lastmile_session=abcdefghijklmnopqrstuvwxyz234567' },
      });
      expect(me.status).toBe(500);
      const body = await me.json();
      expect(body.error).toMatch(/^Something went wrong on our side \(request [0-9a-f-]+\)$/);
      expect(JSON.stringify(body)).not.toMatch(/at |\.ts|postgres/i);
      const health = await app.request('/healthz');
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'unavailable', database: 'unreachable' });
    } finally {
      await brokenSql.end();
    }
  });
});

describe('sync websocket', () => {
  const reviewId = '00000000-0000-4000-8000-000000000001';

  function openSocket(headers: Record<string, string>) {
    return new Promise<{ status?: number; closeCode?: number; reason?: string }>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${server.port}/sync/${reviewId}`, { headers });
      socket.on('unexpected-response', (_request, response) => {
        resolve({ status: response.statusCode });
        socket.terminate();
      });
      socket.on('close', (code, reason) => resolve({ closeCode: code, reason: reason.toString() }));
      socket.on('error', () => {});
    });
  }

  it('refuses an upgrade without a session with 401', async () => {
    expect(await openSocket({ origin: server.origin })).toEqual({ status: 401 });
  });

  it('refuses an upgrade from a foreign origin with 403', async () => {
    const { client } = await signUp(server.origin);
    expect(await openSocket({ origin: 'https://evil.example', cookie: client.cookie! })).toEqual({ status: 403 });
  });

  it('refuses an upgrade to an unknown review with 404', async () => {
    const { client } = await signUp(server.origin);
    expect(await openSocket({ origin: server.origin, cookie: client.cookie! })).toEqual({ status: 404 });
  });
});
