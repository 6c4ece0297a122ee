// Outgoing webhooks against a real receiver: signed deliveries with retries and backoff, the delivery log,
// redelivery and pings, subscriptions, and who may manage them.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { lookup } from 'node:dns/promises';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../server/domain/webhooks.ts';
import { createLogger } from '../../server/logger.ts';
import { loadNotifyOptions } from '../../server/notify/options.ts';
import { postWebhook, RefusedTarget } from '../../server/notify/send.ts';
import { runNotificationScan } from '../../server/notify/scan.ts';
import { createWebhookWorker, type WebhookWorker } from '../../server/notify/webhook-worker.ts';
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
      response.end('ok');
    });
  });
  return {
    received,
    /** Statuses to answer on `path`, in order; the last one repeats. */
    answer(path: string, statuses: number[]) {
      answers.set(path, [...statuses]);
    },
    async listen() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
    options: { ...loadNotifyOptions({ NODE_ENV: 'test' }), retryDelaysMs: RETRY_DELAYS_MS, pollIntervalMs: 20 },
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
    await new Promise((resolve) => setTimeout(resolve, 200));
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

  it('in production, refuses a host name that resolves to a private address when sending', async () => {
    const name = hostname();
    const { address } = await lookup(name);
    const production = { timeoutMs: 1_000, allowPrivateNetworks: false };
    const port = new URL(receiverUrl).port;
    await expect(postWebhook(`http://127.0.0.1:${port}/x`, '{}', {}, production)).rejects.toThrow(RefusedTarget);
    if (isPrivateAddress(address))
      await expect(postWebhook(`http://${name}:${port}/x`, '{}', {}, production)).rejects.toThrow(
        /resolves to a private network address/,
      );
    expect(
      await postWebhook(`http://127.0.0.1:${port}/allowed`, '{}', {}, { ...production, allowPrivateNetworks: true }),
    ).toBe(200);
  });
});
