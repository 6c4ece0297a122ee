// Outgoing webhooks against a real receiver: signed deliveries with retries and backoff, the delivery log,
// redelivery and pings, subscriptions, who may manage them, and the targets refused (SSRF). The receivers listen
// on 127.0.0.1, so these servers and workers allow private targets (the WEBHOOK_ALLOW_PRIVATE_NETWORKS escape
// hatch) except where a test asks for the production rule.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY_ERRORS } from '../../server/domain/webhooks.ts';
import { createLogger } from '../../server/logger.ts';
import { loadNotifyOptions } from '../../server/services/notify/options.ts';
import { DeliveryFailure, postWebhook } from '../../server/services/notify/send.ts';
import { insertWebhook } from '../../server/store/webhooks.ts';
import { runNotificationScan } from '../../server/services/notify/scan.ts';
import { createWebhookWorker, type WebhookWorker } from '../../server/services/notify/webhook-worker.ts';
import { createOrganization, signUp, type ApiClient } from '../support/client.ts';
import { addMember, reviewFixture, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { eventually } from '../support/sync.ts';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A webhook receiver: records every request and answers with the next status queued for its path (else 200). */
function startReceiver() {
  const received: Received[] = [];
  const answers = new Map<string, number[]>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const queue = answers.get(path) ?? [];
      response.statusCode = queue.length > 1 ? queue.shift()! : (queue[0] ?? 200);
      if (response.statusCode >= 300 && response.statusCode < 400) response.setHeader('location', `${path}/landed`);
      response.end('ok');
    });
  });
  return {
    received,
    /** Statuses to answer on `path`, in order; the last one repeats. */
    answer(path: string, statuses: number[]) {
      answers.set(path, [...statuses]);
    },
    async listen(host = '127.0.0.1') {
      await new Promise<void>((resolve) => server.listen(0, host, resolve));
      return `http://${host.includes(':') ? `[${host}]` : host}:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What a receiver does with the documented scheme: HMAC-SHA256 of "<timestamp>.<raw body>". */
function hasValidSignature(secret: string, request: Received): boolean {
  const timestamp = request.headers['x-lastmile-timestamp'] as string;
  const given = Buffer.from(String(request.headers['x-lastmile-signature']));
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`,
  );
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const RETRY_DELAYS_MS = [150, 300, 300];

let server: TestServer;
let worker: WebhookWorker;
let receiver: ReturnType<typeof startReceiver>;
let receiverUrl: string;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
let admin: ApiClient;
let member: Person;
let owner: Person;

beforeAll(async () => {
  server = await startTestServer();
  receiver = startReceiver();
  receiverUrl = await receiver.listen();
  // The server's own worker runs only under startServer; here one with short retry delays sends the queue.
  worker = createWebhookWorker({
    sql: server.db.sql,
    logger: createLogger('silent'),
    now: () => server.clock.now,
    options: {
      ...loadNotifyOptions({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' }),
      retryDelaysMs: RETRY_DELAYS_MS,
      pollIntervalMs: 20,
    },
  });
  worker.start();
  fixture = await reviewFixture(server.origin);
  admin = fixture.facilitator.client;
  member = await addMember(server.origin, admin, fixture.org.id, 'Mo Member');
  owner = await addMember(server.origin, admin, fixture.org.id, 'Sofia Owner');
});
afterAll(async () => {
  await worker?.stop();
  await receiver?.close();
  await server?.stop();
});

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const hooks = (orgId = fixture.org.id) => `/api/orgs/${orgId}/webhooks`;

async function addWebhook(path: string, events: string[]) {
  const response = await admin.post(hooks(), { url: `${receiverUrl}${path}`, events });
  expect(response.status).toBe(201);
  return response.body as { webhook: { id: string }; secret: string };
}

async function recordAction(title: string, dueDate = inDays(10)) {
  const id = crypto.randomUUID();
  const response = await admin.post(`/api/reviews/${fixture.review.id}/actions`, {
    id,
    title,
    ownerId: owner.user.id,
    dueDate,
  });
  expect(response.status).toBe(201);
  return id;
}

const deliveriesOf = async (webhookId: string) =>
  (await admin.get(`${hooks()}/${webhookId}/deliveries`)).body.deliveries as {
    id: string;
    event: string;
    status: string;
    attempts: number;
    lastResponseCode: number | null;
    lastError: string | null;
    payload: { event: string; data: Record<string, unknown> };
  }[];

describe('webhooks', () => {
  it('signs each delivery, retries a failing receiver with backoff, and logs the outcome', async () => {
    const { webhook, secret } = await addWebhook('/retry', ['action.recorded']);
    expect(secret).toMatch(/^whsec_[a-z2-7]{32}$/);
    receiver.answer('/retry', [500, 500, 200]);

    const actionId = await recordAction('Pilot eco-driving in the north');
    await eventually(
      async () => (await deliveriesOf(webhook.id))[0]?.status === 'delivered',
      10_000,
      'the delivery to succeed on its third attempt',
    );
    const attempts = receiver.received.filter((r) => r.path === '/retry');
    expect(attempts).toHaveLength(3);
    for (const attempt of attempts) {
      expect(attempt.headers['x-lastmile-event']).toBe('action.recorded');
      expect(attempt.headers['content-type']).toBe('application/json');
      expect(hasValidSignature(secret, attempt)).toBe(true);
      expect(hasValidSignature('whsec_wrong', attempt)).toBe(false);
    }
    // One delivery, tried three times: the same id and body, a fresh timestamp and signature each time.
    const deliveryIds = new Set(attempts.map((a) => a.headers['x-lastmile-delivery']));
    expect(deliveryIds.size).toBe(1);
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[0]! - 20);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[1]! - 20);

    const payload = JSON.parse(attempts[0]!.body);
    expect(payload).toMatchObject({
      event: 'action.recorded',
      organizationId: fixture.org.id,
      data: { actionId, title: 'Pilot eco-driving in the north', ownerId: owner.user.id, ownerName: 'Sofia Owner' },
    });
    const [delivery] = await deliveriesOf(webhook.id);
    expect(delivery).toMatchObject({
      id: [...deliveryIds][0],
      event: 'action.recorded',
      status: 'delivered',
      attempts: 3,
      lastResponseCode: 200,
      lastError: null,
    });

    // Only what it subscribed to: a commitment is not sent to this webhook.
    expect((await owner.client.post(`/api/actions/${actionId}/commit`)).status).toBe(200);
    await server.settled();
    expect((await deliveriesOf(webhook.id)).map((d) => d.event)).toEqual(['action.recorded']);
    await admin.delete(`${hooks()}/${webhook.id}`);
  });

  it('gives up after the last attempt, and an admin can redeliver or send a test ping', async () => {
    const { webhook, secret } = await addWebhook('/down', ['action.committed']);
    receiver.answer('/down', [503]);
    const ping = await admin.post(`${hooks()}/${webhook.id}/test`);
    expect(ping.status).toBe(202);
    expect(ping.body.delivery).toMatchObject({ event: 'ping', status: 'pending', attempts: 0 });
    await eventually(
      async () => (await deliveriesOf(webhook.id))[0]?.status === 'failed',
      10_000,
      'the delivery to fail for good',
    );
    const [failed] = await deliveriesOf(webhook.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: RETRY_DELAYS_MS.length + 1, lastResponseCode: 503 });
    expect(failed!.lastError).toMatch(/503/);
    expect(receiver.received.filter((r) => r.path === '/down')).toHaveLength(RETRY_DELAYS_MS.length + 1);

    receiver.answer('/down', [204]);
    const again = await admin.post(`${hooks()}/${webhook.id}/deliveries/${failed!.id}/redeliver`);
    expect(again.status).toBe(202);
    expect(again.body.delivery.id).not.toBe(failed!.id);
    await eventually(
      async () =>
        (await deliveriesOf(webhook.id)).some((d) => d.id === again.body.delivery.id && d.status === 'delivered'),
      10_000,
      'the redelivery',
    );
    const last = receiver.received.at(-1)!;
    expect(last.headers['x-lastmile-event']).toBe('ping');
    expect(hasValidSignature(secret, last)).toBe(true);
    expect(JSON.parse(last.body)).toMatchObject({ event: 'ping', data: { webhookId: webhook.id } });
    await admin.delete(`${hooks()}/${webhook.id}`);
  });

  it('sends action.overdue once per item from the scan, and nothing while paused', async () => {
    const { webhook } = await addWebhook('/overdue', ['action.overdue']);
    const actionId = await recordAction('Renegotiate fuel contract', inDays(1));
    // Five days on, for the scan and the worker alike (deliveries are due from the moment they are queued).
    const fiveDays = 5 * 86_400_000;
    server.clock.advance(fiveDays);
    try {
      expect((await runNotificationScan(server.db.sql, server.clock.now)).deliveries).toBe(1);
      expect((await runNotificationScan(server.db.sql, server.clock.now)).deliveries).toBe(0);
      await eventually(async () => (await worker.runOnce()) === 0, 5_000, 'the worker to send the queue');
    } finally {
      server.clock.advance(-fiveDays);
    }
    await eventually(
      async () => (await deliveriesOf(webhook.id)).some((d) => d.status === 'delivered'),
      10_000,
      'the overdue delivery',
    );
    const overdue = (await deliveriesOf(webhook.id)).filter((d) => d.payload.data.actionId === actionId);
    expect(overdue).toHaveLength(1);
    expect(overdue[0]!.payload).toMatchObject({
      event: 'action.overdue',
      data: { title: 'Renegotiate fuel contract' },
    });

    const paused = await admin.request('PATCH', `${hooks()}/${webhook.id}`, { active: false });
    expect(paused.status).toBe(200);
    expect(paused.body.webhook).toMatchObject({ active: false, events: ['action.overdue'] });
    await recordAction('Another slip', inDays(1));
    await runNotificationScan(server.db.sql, new Date(Date.now() + fiveDays));
    expect(await deliveriesOf(webhook.id)).toHaveLength(1);
    expect((await admin.delete(`${hooks()}/${webhook.id}`)).status).toBe(204);
    expect((await admin.get(`${hooks()}/${webhook.id}/deliveries`)).status).toBe(404);
  });

  it('validates the URL and events, and keeps the secret out of the list', async () => {
    const bad = await admin.post(hooks(), { url: 'ftp://example.com/x', events: ['action.recorded', 'nope'] });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['events.1', 'url']);
    const none = await admin.post(hooks(), { url: 'https://example.com/x', events: [] });
    expect(none.body.issues).toEqual([{ path: 'events', message: 'must name at least one event' }]);
    const withPassword = await admin.post(hooks(), { url: 'https://u:p@example.com/x', events: ['action.recorded'] });
    expect(withPassword.body.issues).toEqual([{ path: 'url', message: 'must not contain a user name or password' }]);

    const { webhook } = await addWebhook('/listed', ['triage.pivoted', 'review.minutes', 'triage.pivoted']);
    const list = await admin.get(hooks());
    const listed = list.body.webhooks.find((w: { id: string }) => w.id === webhook.id);
    expect(listed).toMatchObject({
      url: `${receiverUrl}/listed`,
      events: ['triage.pivoted', 'review.minutes'],
      active: true,
    });
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    await admin.delete(`${hooks()}/${webhook.id}`);
  });

  it('lets only admins of the organization manage its webhooks', async () => {
    const { webhook } = await addWebhook('/private', ['action.recorded']);
    const anonymous = await fetch(`${server.origin}${hooks()}`, { headers: { origin: server.origin } });
    expect(anonymous.status).toBe(401);
    expect((await member.client.get(hooks())).status).toBe(403);
    expect(
      (await member.client.post(hooks(), { url: 'https://example.com', events: ['action.recorded'] })).status,
    ).toBe(403);
    expect((await member.client.post(`${hooks()}/${webhook.id}/test`)).status).toBe(403);

    // Another organization's admin sees nothing of it, through either organization.
    const stranger = await signUp(server.origin, 'Olga Other');
    const otherOrg = await createOrganization(stranger.client, 'Other Org');
    expect((await stranger.client.get(hooks())).status).toBe(403);
    expect((await stranger.client.get(`${hooks(otherOrg.id)}/${webhook.id}/deliveries`)).status).toBe(404);
    expect(
      (await stranger.client.request('PATCH', `${hooks(otherOrg.id)}/${webhook.id}`, { active: false })).status,
    ).toBe(404);
    expect((await stranger.client.delete(`${hooks(otherOrg.id)}/${webhook.id}`)).status).toBe(404);
    expect((await stranger.client.get(hooks(otherOrg.id))).body.webhooks).toEqual([]);
    expect((await admin.get(hooks())).body.webhooks.map((w: { id: string }) => w.id)).toContain(webhook.id);
  });

  it('records only a generic message when it cannot connect, and follows no redirect', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await admin.post(hooks(), {
      url: `http://127.0.0.1:${closedPort}/closed`,
      events: ['action.recorded'],
    });
    expect(refused.status).toBe(201);
    await admin.post(`${hooks()}/${refused.body.webhook.id}/test`);
    await eventually(
      async () => ((await deliveriesOf(refused.body.webhook.id))[0]?.attempts ?? 0) >= 1,
      10_000,
      'an attempt at the closed port',
    );
    const [failed] = await deliveriesOf(refused.body.webhook.id);
    // Not "connect ECONNREFUSED 127.0.0.1:<port>": that would tell open ports from closed ones.
    expect(failed).toMatchObject({ lastError: DELIVERY_ERRORS.unreachable, lastResponseCode: null });
    await admin.delete(`${hooks()}/${refused.body.webhook.id}`);

    const { webhook } = await addWebhook('/moved', ['action.recorded']);
    receiver.answer('/moved', [302]);
    await admin.post(`${hooks()}/${webhook.id}/test`);
    await eventually(
      async () => (await deliveriesOf(webhook.id))[0]?.lastResponseCode === 302,
      10_000,
      'the redirect answer',
    );
    expect((await deliveriesOf(webhook.id))[0]).toMatchObject({ lastError: 'The receiver answered 302' });
    expect(receiver.received.some((r) => r.path === '/moved/landed')).toBe(false);
    await admin.delete(`${hooks()}/${webhook.id}`);
  });

  it('reports a receiver that does not answer in time as a timeout', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/silent`;
    try {
      const failure = await postWebhook(url, '{}', {}, { timeoutMs: 200, allowPrivateNetworks: true }).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(DeliveryFailure);
      expect((failure as DeliveryFailure).kind).toBe('timeout');
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('resolves a host name once and connects to that address, keeping the Host header', async () => {
    const port = new URL(receiverUrl).port;
    const asked: string[] = [];
    // A rebinding resolver: the first answer is the receiver, any later one would be somewhere else.
    const resolve = async (name: string): Promise<LookupAddress[]> => {
      asked.push(name);
      return [{ address: asked.length === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 }];
    };
    const status = await postWebhook(
      `http://rebind.test:${port}/pinned`,
      '{}',
      {},
      {
        timeoutMs: 5_000,
        allowPrivateNetworks: true,
        resolve,
      },
    );
    expect(status).toBe(200);
    expect(asked).toEqual(['rebind.test']);
    const request = receiver.received.find((r) => r.path === '/pinned')!;
    expect(request.headers.host).toBe(`rebind.test:${port}`);
  });
});

/** An address of this machine's own interfaces other than loopback (loopback when it has no other). */
function ownInterfaceAddress(): string {
  const entries = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  const external =
    entries.find((entry) => !entry.internal && entry.family === 'IPv4') ??
    entries.find((entry) => !entry.internal && !entry.address.startsWith('fe80'));
  return (external ?? entries.find((entry) => entry.family === 'IPv4') ?? entries[0]!).address;
}

describe('webhook targets, refused by default', () => {
  let strict: TestServer;
  let strictAdmin: ApiClient;
  let strictOrg: { id: string };
  let strictUserId: string;
  let ownReceiver: ReturnType<typeof startReceiver>;
  let ownUrl: string;
  const own = ownInterfaceAddress();

  beforeAll(async () => {
    strict = await startTestServer({}, { notify: { allowPrivateNetworks: false } });
    const strictFixture = await reviewFixture(strict.origin);
    strictAdmin = strictFixture.facilitator.client;
    strictOrg = strictFixture.org;
    strictUserId = strictFixture.facilitator.user.id;
    // Listens on the machine's own address, as a service bound to every interface would be reachable there.
    ownReceiver = startReceiver();
    ownUrl = await ownReceiver.listen(own);
  });
  afterAll(async () => {
    await ownReceiver?.close();
    await strict?.stop();
  });

  it('refuses at creation a URL naming this server, localhost or a special-purpose address', async () => {
    const refused: [string, RegExp][] = [
      [`${ownUrl}/own`, /is an address of this server/],
      ['http://192.0.2.77/x', /TEST-NET-1/],
      ['http://[::ffff:127.0.0.1]:8080/x', /IPv4-mapped/],
      ['http://0x7f000001:8080/x', /127\.0\.0\.1 is .*loopback/],
      ['http://127.1:8080/x', /127\.0\.0\.1 is .*loopback/],
      ['http://localhost:8080/x', /localhost names this server/],
      ['http://localhost.:8080/x', /names this server/],
      ['http://169.254.169.254/latest/meta-data', /link-local/],
      ['http://192.0.0.8/x', /IETF protocol assignments/],
      ['http://198.18.0.1/x', /benchmarking/],
      ['http://100.64.0.1/x', /shared address space/],
      ['http://[64:ff9b::7f00:1]/x', /NAT64/],
      ['http://[2001:db8::1]/x', /documentation/],
      ['http://224.0.0.1/x', /multicast/],
      ['http://255.255.255.255/x', /limited broadcast/],
    ];
    for (const [url, reason] of refused) {
      const response = await strictAdmin.post(`/api/orgs/${strictOrg.id}/webhooks`, {
        url,
        events: ['action.recorded'],
      });
      expect(response.status, url).toBe(400);
      expect(response.body.issues, url).toEqual([
        { path: 'url', message: expect.stringMatching(reason) as unknown as string },
      ]);
    }
    const added = await strictAdmin.post(`/api/orgs/${strictOrg.id}/webhooks`, {
      url: 'https://hooks.example.com/lastmile',
      events: ['action.recorded'],
    });
    expect(added.status).toBe(201);
    const moved = await strictAdmin.request('PATCH', `/api/orgs/${strictOrg.id}/webhooks/${added.body.webhook.id}`, {
      url: 'http://127.1/x',
    });
    expect(moved.status).toBe(400);
    expect(moved.body.issues).toEqual([
      { path: 'url', message: expect.stringMatching(/loopback/) as unknown as string },
    ]);
    await strictAdmin.delete(`/api/orgs/${strictOrg.id}/webhooks/${added.body.webhook.id}`);
  });

  it('refuses at delivery a stored URL that is or resolves to this server or loopback, and says no more', async () => {
    const port = new URL(receiverUrl).port;
    const ownPort = new URL(ownUrl).port;
    // Names only this test knows: one resolves to the machine's own address, one to a public and a loopback one.
    const answers: Record<string, LookupAddress[]> = {
      'own.test': [{ address: own, family: own.includes(':') ? 6 : 4 }],
      'mixed.test': [
        { address: '93.184.215.14', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
    };
    const strictWorker = createWebhookWorker({
      sql: strict.db.sql,
      logger: createLogger('silent'),
      now: () => strict.clock.now,
      options: { ...loadNotifyOptions({}), retryDelaysMs: [], timeoutMs: 2_000 },
      send: { resolve: async (name) => answers[name] ?? Promise.reject(new Error(`ENOTFOUND ${name}`)) },
    });
    // As saved before these checks existed (or by a name whose DNS changed since): the API would refuse them now.
    const targets = [
      `${ownUrl}/own`,
      `http://own.test:${ownPort}/own-by-name`,
      `http://localhost:${port}/refused-localhost`,
      `http://[::ffff:127.0.0.1]:${port}/refused-mapped`,
      `http://0x7f000001:${port}/refused-hex`,
      `http://127.1:${port}/refused-short`,
      `http://mixed.test:${port}/refused-mixed`,
    ];
    const ids: string[] = [];
    for (const url of targets) {
      const row = await insertWebhook(
        strict.db.sql,
        {
          organizationId: strictOrg.id,
          url,
          secret: 'whsec_test',
          events: ['action.recorded'],
          createdBy: strictUserId,
        },
        strict.clock.now,
      );
      expect((await strictAdmin.post(`/api/orgs/${strictOrg.id}/webhooks/${row.id}/test`)).status).toBe(202);
      ids.push(row.id);
    }
    expect(await strictWorker.runOnce()).toBe(targets.length);

    for (const [index, id] of ids.entries()) {
      const log = await strictAdmin.get(`/api/orgs/${strictOrg.id}/webhooks/${id}/deliveries`);
      expect(log.body.deliveries[0], targets[index]).toMatchObject({
        status: 'failed',
        attempts: 1,
        lastResponseCode: null,
        lastError: DELIVERY_ERRORS.noPublicAddress,
      });
    }
    expect(ownReceiver.received).toEqual([]);
    expect(receiver.received.filter((r) => r.path.startsWith('/refused-'))).toEqual([]);
  });

  it('sends to the same receivers when private targets are allowed', async () => {
    const allowed = { timeoutMs: 5_000, allowPrivateNetworks: true };
    expect(await postWebhook(`${ownUrl}/allowed`, '{}', {}, allowed)).toBe(200);
    expect(await postWebhook(`http://localhost:${new URL(receiverUrl).port}/allowed`, '{}', {}, allowed)).toBe(200);
    expect(ownReceiver.received.map((r) => r.path)).toEqual(['/allowed']);

    const production = { timeoutMs: 5_000, allowPrivateNetworks: false };
    for (const url of [`${ownUrl}/again`, `http://localhost:${new URL(receiverUrl).port}/again`]) {
      const failure = await postWebhook(url, '{}', {}, production).catch((error: unknown) => error);
      expect(failure, url).toBeInstanceOf(DeliveryFailure);
      expect((failure as DeliveryFailure).kind, url).toBe('refused');
    }
    expect(ownReceiver.received.map((r) => r.path)).toEqual(['/allowed']);
  });
});
