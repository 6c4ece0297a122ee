// A database that does not answer makes the API fail fast with 503 and Retry-After instead of hanging (issue 26,
// item 12): a statement held up by a lock is cancelled by the pool's statement timeout, and a connection to a
// server that accepts but never answers (a frozen PostgreSQL) fails by the connect timeout. Neither is ever a 500,
// and nothing of the error (stack, driver, SQL) reaches the client. A frozen server, whose open connections carry
// nothing any more, cannot enforce a statement timeout: reads then answer 503 by their deadline. When the database
// answers again, so does the API.
import { connect as connectTcp, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { connect, type Sql } from '../../server/db/connect.ts';
import { createLogger } from '../../server/logger.ts';
import { createOrganization, signUp } from '../support/client.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createMetric, planInstant } from '../support/portfolio.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const UNAVAILABLE = { error: 'The database is not answering; try again shortly', issues: [] };

/** Holds `table` in ACCESS EXCLUSIVE mode from a transaction of `sql` until the returned function is called. */
async function lockTable(sql: Sql, table: string): Promise<() => Promise<void>> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const transaction = sql.begin(async (tx) => {
    await tx.unsafe(`lock table ${table} in access exclusive mode`);
    locked();
    await released;
  });
  await Promise.race([isLocked, transaction]);
  return async () => {
    release();
    await transaction;
  };
}

async function expectUnavailable(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toBe('5');
  const text = await response.text();
  expect(JSON.parse(text)).toEqual(UNAVAILABLE);
  expect(text).not.toMatch(/at |\.ts|postgres|57014|timeout|lock/i);
}

describe('a statement held up by a lock', () => {
  let db: TestDatabase;
  let timed: Sql;
  let server: TestServer;

  beforeAll(async () => {
    db = await createTestDatabase();
    // The server's pool gives up on a statement after 300 ms; the test's own pool (db.sql) has no limit.
    timed = connect(db.url, { max: 5, statementTimeoutMs: 300 });
    server = await startTestServer({}, { db: { ...db, sql: timed } });
  });
  afterAll(async () => {
    await server?.stop({ keepDatabase: true });
    await timed?.end({ timeout: 1 });
    await db?.drop();
  });

  it('answers reads and writes 503 with Retry-After while the lock is held, and 200 once it is released', async () => {
    const admin = await signUp(server.origin, 'Frozen Reader');
    const org = await createOrganization(admin.client, 'Frozen Org');
    const metric = await createMetric(admin.client, org.id, admin.user.id);
    const cookie = { cookie: admin.client.cookie! };

    const release = await lockTable(db.sql, 'metrics');
    try {
      await expectUnavailable(await fetch(`${server.origin}/api/orgs/${org.id}/metrics`, { headers: cookie }));
      await expectUnavailable(await fetch(`${server.origin}/api/metrics/${metric.id}`, { headers: cookie }));
      const write = await admin.client.post(`/api/metrics/${metric.id}/readings`, { value: 5, at: planInstant(5) });
      expect(write.status).toBe(503);
      expect(write.body).toEqual(UNAVAILABLE);
    } finally {
      await release();
    }

    const list = await admin.client.get(`/api/orgs/${org.id}/metrics`);
    expect(list.status).toBe(200);
    expect(list.body.metrics.map((m: { id: string }) => m.id)).toEqual([metric.id]);
    const reading = await admin.client.post(`/api/metrics/${metric.id}/readings`, { value: 5, at: planInstant(5) });
    expect(reading.status).toBeLessThan(300);
  });
});

describe('a PostgreSQL that accepts connections and never answers', () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  let url: string;

  beforeAll(async () => {
    // What a frozen (SIGSTOPped) server looks like to a new connection: the kernel accepts, nothing replies.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    url = `postgres://lastmile@127.0.0.1:${(silent.address() as AddressInfo).port}/lastmile`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent?.close(() => resolve()));
  });

  it('answers 503 with Retry-After once the connect timeout passes, never 500', async () => {
    const sql = connect(url, { max: 2, connectTimeoutSeconds: 1 });
    const app = createApp({ sql, config: loadConfig({ LOG_LEVEL: 'silent' }), logger: createLogger('silent') });
    const session = { cookie: 'lastmile_session=abcdefghijklmnopqrstuvwxyz234567' };
    try {
      const answers = await Promise.all([
        app.request('/api/me', { headers: session }),
        app.request('/api/orgs/00000000-0000-4000-8000-000000000001/metrics', { headers: session }),
        app.request('/api/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
          body: JSON.stringify({ email: 'someone@example.com', password: 'correct horse battery' }),
        }),
      ]);
      for (const answer of answers) await expectUnavailable(answer);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});

/** A TCP proxy to PostgreSQL that can freeze: connections stay open and nothing flows, as with a SIGSTOPped server. */
async function freezableProxy(targetUrl: string) {
  const target = new URL(targetUrl);
  let frozen = false;
  const thawers: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const forward = (from: Socket, to: Socket) => {
    const held: Buffer[] = [];
    from.on('data', (chunk: Buffer) => (frozen ? held.push(chunk) : to.write(chunk)));
    thawers.push(() => {
      for (const chunk of held.splice(0)) to.write(chunk);
    });
  };
  const server = createServer((client) => {
    const upstream = connectTcp(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    freeze() {
      frozen = true;
    },
    thaw() {
      frozen = false;
      for (const thaw of thawers) thaw();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a frozen PostgreSQL: open connections carry nothing', () => {
  let db: TestDatabase;
  let proxy: Awaited<ReturnType<typeof freezableProxy>>;
  let proxied: Sql;
  let server: TestServer;

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = await freezableProxy(db.url);
    proxied = connect(proxy.url, { max: 5, statementTimeoutMs: 300, connectTimeoutSeconds: 1 });
    server = await startTestServer({ DATABASE_STATEMENT_TIMEOUT_MS: '300' }, { db: { ...db, sql: proxied } });
  });
  afterAll(async () => {
    proxy?.thaw();
    await server?.stop({ keepDatabase: true });
    await proxied?.end({ timeout: 1 });
    await proxy?.close();
    await db?.drop();
  });

  it('answers reads 503 with Retry-After by their deadline, and 200 once the database wakes', async () => {
    const admin = await signUp(server.origin, 'Frozen Server Reader');
    const org = await createOrganization(admin.client, 'Frozen Server Org');
    const metric = await createMetric(admin.client, org.id, admin.user.id);
    const cookie = { cookie: admin.client.cookie! };

    proxy.freeze();
    try {
      const answers = await Promise.all([
        fetch(`${server.origin}/api/orgs/${org.id}/metrics`, { headers: cookie }),
        fetch(`${server.origin}/api/me`, { headers: cookie }),
        fetch(`${server.origin}/api/metrics/${metric.id}`, { headers: cookie }),
      ]);
      for (const answer of answers) await expectUnavailable(answer);
    } finally {
      proxy.thaw();
    }

    const list = await admin.client.get(`/api/orgs/${org.id}/metrics`);
    expect(list.status).toBe(200);
    expect(list.body.metrics.map((m: { id: string }) => m.id)).toEqual([metric.id]);
  });
});
