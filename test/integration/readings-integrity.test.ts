// Issue 19, readings: a correction replaces the value and keeps the old one in the reading's history; the metric's
// owner or an admin may delete a reading (kept in the history, the metric re-assessed and its change published as
// after a new reading); a reading dated too far ahead is refused; an Idempotency-Key makes a retried POST without
// `at` store one reading.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../server/domain/events.ts';
import { ApiClient, createOrganization, signUp } from '../support/client.ts';
import { createMetric } from '../support/portfolio.ts';
import { addMember } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

/** An instant relative to the server's (movable) clock. */
const ago = (ms: number) => new Date(server.clock.now.getTime() - ms).toISOString();

/**
 * An organization with an admin, the metric's owner (a member), another member and an API token; a daily metric
 * from 0 to 100 whose plan passes 50 now, so fresh readings near 50 are on track.
 */
async function setup() {
  const admin = await signUp(server.origin, 'Integrity Admin');
  const org = await createOrganization(admin.client, 'Integrity Org');
  const owner = await addMember(server.origin, admin.client, org.id, 'Olu Owner');
  const other = await addMember(server.origin, admin.client, org.id, 'Mo Member');
  const metric = await createMetric(admin.client, org.id, owner.user.id, {
    frequency: 'daily',
    startAt: ago(100 * DAY),
    targetAt: ago(-100 * DAY),
  });
  const { body } = await admin.client.post(`/api/orgs/${org.id}/tokens`, { name: 'BI export' });
  const source = new ApiClient(server.origin, { sendOrigin: false, bearer: body.secret });
  const readings = `/api/metrics/${metric.id}/readings`;
  return { admin, owner, other, org, metric, source, readings };
}

async function readingCount(metricId: string): Promise<number> {
  const rows = await server.db.sql<{ count: number }[]>`
    select count(*)::int as count from readings where metric_id = ${metricId}
  `;
  return rows[0]!.count;
}

function collect(metricId: string) {
  const events: DomainEvent[] = [];
  const stop = server.events.subscribe((event) => {
    if ('metricId' in event && event.metricId === metricId) events.push(event);
  });
  return { events, stop, types: () => events.map((e) => e.type) };
}

describe('corrections', () => {
  it('replaces the value at the same time and source, and keeps the old one in the reading’s history', async () => {
    const { metric, source, readings } = await setup();
    const at = ago(2 * HOUR);
    const first = await source.post(readings, { value: 40, at, source: 'bi', note: 'nightly' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ duplicate: false, corrected: false, reading: { value: 40, note: 'nightly' } });
    const id = first.body.reading.id as string;
    expect(id).toMatch(/^[1-9][0-9]*$/);

    const seen = collect(metric.id);
    try {
      const correction = await source.post(readings, { value: 49, at, source: 'bi', note: 'recounted' });
      expect(correction.status).toBe(200);
      expect(correction.body).toMatchObject({
        duplicate: false,
        corrected: true,
        reading: { id, at, value: 49, source: 'bi', note: 'recounted' },
        assessment: { latest: { value: 49 } },
      });
      // A correction re-assesses and publishes like a new reading.
      expect(seen.types()).toContain('metric.updated');
    } finally {
      seen.stop();
    }
    expect(await readingCount(metric.id)).toBe(1);
    const list = await source.get(readings);
    expect(list.body.readings).toEqual([{ id, at, value: 49, source: 'bi', note: 'recounted' }]);

    // The same value again is a plain retry: nothing changes, nothing is added to the history.
    const retry = await source.post(readings, { value: 49, at, source: 'bi', note: 'recounted' });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ duplicate: true, corrected: false, reading: { id, value: 49 } });

    const history = await source.get(`${readings}/${id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.reading).toEqual({ id, at, value: 49, source: 'bi', note: 'recounted' });
    expect(history.body.history).toEqual([
      { change: 'corrected', value: 40, note: 'nightly', changedBy: 'BI export', changedAt: expect.any(String) },
    ]);
  });

  it('corrects in a batch too, and counts the corrections apart', async () => {
    const { org, metric, source, readings } = await setup();
    const at = ago(3 * HOUR);
    await source.post(readings, { value: 10, at, source: 'bi' });
    const batch = await source.post(`/api/orgs/${org.id}/readings`, {
      readings: [
        { metricId: metric.id, value: 48, at, source: 'bi' },
        { metricId: metric.id, value: 49, at: ago(HOUR), source: 'bi' },
        { metricId: metric.id, value: 49, at: ago(HOUR), source: 'bi' },
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ accepted: 1, corrected: 1, duplicates: 1, rejected: [] });
    const list = await source.get(readings);
    expect(list.body.readings.map((r: { value: number }) => r.value)).toEqual([49, 48]);
    const history = await source.get(`${readings}/${list.body.readings[1].id}/history`);
    expect(history.body.history).toMatchObject([{ change: 'corrected', value: 10 }]);
  });
});

describe('deleting a reading', () => {
  it('lets the metric’s owner delete a bad reading: the metric is back on track and the change published', async () => {
    const { admin, owner, metric, readings } = await setup();
    expect((await owner.client.post(readings, { value: 50, at: ago(2 * HOUR) })).status).toBe(201);
    const bad = await owner.client.post(readings, { value: 5, at: ago(HOUR), note: 'typo' });
    expect(bad.body.assessment.status).toBe('off track');
    expect((await admin.client.get(`/api/metrics/${metric.id}`)).body.metric.assessment.status).toBe('off track');

    const seen = collect(metric.id);
    try {
      const deleted = await owner.client.request('DELETE', `${readings}/${bad.body.reading.id}`);
      expect(deleted.status).toBe(204);
      // As after a new reading: metric.updated, and the crossing back (which re-runs triage).
      expect(seen.types()).toEqual(['metric.updated', 'metric.recovered']);
      expect(seen.events[0]).toMatchObject({ previousStatus: 'off track', status: 'on track' });
    } finally {
      seen.stop();
    }
    const shown = await admin.client.get(`/api/metrics/${metric.id}`);
    expect(shown.body.metric.assessment).toMatchObject({ status: 'on track', latest: { value: 50 } });
    expect((await owner.client.get(readings)).body.readings.map((r: { value: number }) => r.value)).toEqual([50]);

    // Kept in its history, which still answers once the reading is gone.
    const history = await owner.client.get(`${readings}/${bad.body.reading.id}/history`);
    expect(history.status).toBe(200);
    expect(history.body).toEqual({
      reading: null,
      history: [{ change: 'deleted', value: 5, note: 'typo', changedBy: 'Olu Owner', changedAt: expect.any(String) }],
    });
    // Deleting it again: there is no such reading any more.
    expect((await owner.client.request('DELETE', `${readings}/${bad.body.reading.id}`)).status).toBe(404);
  });

  it('lets an admin delete a reading too, and refuses another member (403) and another organization (404)', async () => {
    const { admin, other, metric, source, readings } = await setup();
    const good = await source.post(readings, { value: 50, at: ago(3 * HOUR) });
    const bad = await source.post(readings, { value: 2, at: ago(2 * HOUR) });
    const path = `${readings}/${bad.body.reading.id}`;

    const refused = await other.client.request('DELETE', path);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('Only the owner of this metric or an admin can change it');
    const stranger = await signUp(server.origin, 'Stranger Admin');
    await createOrganization(stranger.client, 'Another Org');
    expect((await stranger.client.request('DELETE', path)).status).toBe(404);
    expect((await stranger.client.get(`${path}/history`)).status).toBe(404);
    // A data source pushes readings; it does not delete them.
    expect((await source.request('DELETE', path)).status).toBe(401);
    expect(await readingCount(metric.id)).toBe(2);
    expect((await admin.client.get(`/api/metrics/${metric.id}`)).body.metric.assessment.status).toBe('off track');

    expect((await admin.client.request('DELETE', path)).status).toBe(204);
    expect(await readingCount(metric.id)).toBe(1);
    const shown = await admin.client.get(`/api/metrics/${metric.id}`);
    expect(shown.body.metric.assessment).toMatchObject({ status: 'on track', latest: { value: 50 } });
    expect((await admin.client.get(`${readings}/${good.body.reading.id}/history`)).body).toEqual({
      reading: good.body.reading,
      history: [],
    });
  });

  it('answers 400 naming the reading id when it is not one, and 404 for a reading of another metric', async () => {
    const { admin, org, owner, metric, readings } = await setup();
    for (const bad of ['abc', '0', '-1', '1.5', '9'.repeat(19)]) {
      const response = await admin.client.request('DELETE', `${readings}/${bad}`);
      expect(response.status, bad).toBe(400);
      expect(response.body.issues.map((i: { path: string }) => i.path)).toEqual(['param.readingId']);
    }
    const otherMetric = await createMetric(admin.client, org.id, owner.user.id, { name: 'Other metric' });
    const elsewhere = await admin.client.post(`/api/metrics/${otherMetric.id}/readings`, { value: 1 });
    expect((await admin.client.request('DELETE', `${readings}/${elsewhere.body.reading.id}`)).status).toBe(404);
    expect((await admin.client.get(`${readings}/${elsewhere.body.reading.id}/history`)).status).toBe(404);
    expect(await readingCount(otherMetric.id)).toBe(1);
    expect(await readingCount(metric.id)).toBe(0);
  });
});

describe('readings dated ahead', () => {
  it('refuses a reading two years ahead with a 400 naming `at`, alone or in a batch', async () => {
    const { org, metric, source, readings } = await setup();
    const future = ago(-2 * 365 * DAY);
    const response = await source.post(readings, { value: 50, at: future });
    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual([
      { path: 'at', message: expect.stringMatching(/^must not be more than a day after now \(/) },
    ]);
    const batch = await source.post(`/api/orgs/${org.id}/readings`, {
      readings: [{ metricId: metric.id, value: 50, at: future }],
    });
    expect(batch.body.rejected).toEqual([{ index: 0, issues: [{ path: 'at', message: expect.any(String) }] }]);
    // Up to a day ahead is a skewed clock or another time zone, and is kept.
    expect((await source.post(readings, { value: 50, at: ago(-23 * HOUR) })).status).toBe(201);
    expect(await readingCount(metric.id)).toBe(1);
  });

  it('takes the tolerance from READING_FUTURE_TOLERANCE_HOURS', async () => {
    const strict = await startTestServer({ READING_FUTURE_TOLERANCE_HOURS: '1' });
    try {
      const admin = await signUp(strict.origin, 'Strict Admin');
      const org = await createOrganization(admin.client, 'Strict Org');
      const metric = await createMetric(admin.client, org.id, admin.user.id);
      const soon = (ms: number) => new Date(strict.clock.now.getTime() + ms).toISOString();
      const refused = await admin.client.post(`/api/metrics/${metric.id}/readings`, { value: 1, at: soon(2 * HOUR) });
      expect(refused.status).toBe(400);
      expect(refused.body.issues).toEqual([
        { path: 'at', message: expect.stringMatching(/^must not be more than an hour after now \(/) },
      ]);
      const kept = await admin.client.post(`/api/metrics/${metric.id}/readings`, { value: 1, at: soon(HOUR / 2) });
      expect(kept.status).toBe(201);
    } finally {
      await strict.stop();
    }
  });
});

describe('Idempotency-Key', () => {
  it('stores a reading sent without `at` once when it is retried with the same key, and replays the answer', async () => {
    const { metric, source, readings } = await setup();
    const key = { 'idempotency-key': crypto.randomUUID() };
    const first = await source.request('POST', readings, { value: 47 }, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // The retry comes later: without the key it would be a second reading, dated then.
    server.clock.advance(90_000);
    const seen = collect(metric.id);
    try {
      const retry = await source.request('POST', readings, { value: 47 }, key);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(seen.types()).toEqual([]);
    } finally {
      seen.stop();
    }
    expect(await readingCount(metric.id)).toBe(1);
    // A new key is a new reading.
    const next = await source.request('POST', readings, { value: 47 }, { 'idempotency-key': crypto.randomUUID() });
    expect(next.status).toBe(201);
    expect(await readingCount(metric.id)).toBe(2);
  });

  it('stores once when the same keyed request arrives many times at once', async () => {
    const { metric, source, readings } = await setup();
    const key = { 'idempotency-key': `nightly-${crypto.randomUUID()}` };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => source.request('POST', readings, { value: 48, source: 'bi' }, key)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(await readingCount(metric.id)).toBe(1);
  });

  it('refuses the same key with another body (422), and keys are per metric', async () => {
    const { admin, org, owner, metric, source, readings } = await setup();
    const key = { 'idempotency-key': 'retry-me-42' };
    expect((await source.request('POST', readings, { value: 47 }, key)).status).toBe(201);
    const reused = await source.request('POST', readings, { value: 12 }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.error).toMatch(/Idempotency-Key was sent with another reading/);
    expect(reused.body.issues).toEqual([
      { path: 'header.idempotency-key', message: 'was already used with another body' },
    ]);
    // Naming `at` where the first did not is another request too.
    expect((await source.request('POST', readings, { value: 47, at: ago(0) }, key)).status).toBe(422);
    expect(await readingCount(metric.id)).toBe(1);

    const otherMetric = await createMetric(admin.client, org.id, owner.user.id, { name: 'Other metric' });
    expect((await source.request('POST', `/api/metrics/${otherMetric.id}/readings`, { value: 12 }, key)).status).toBe(
      201,
    );
  });

  it('forgets a key after 24 hours', async () => {
    const { metric, source, readings } = await setup();
    const key = { 'idempotency-key': crypto.randomUUID() };
    expect((await source.request('POST', readings, { value: 47 }, key)).status).toBe(201);
    server.clock.advance(23 * HOUR);
    expect((await source.request('POST', readings, { value: 47 }, key)).headers.get('idempotent-replayed')).toBe(
      'true',
    );
    server.clock.advance(2 * HOUR);
    const later = await source.request('POST', readings, { value: 47 }, key);
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(await readingCount(metric.id)).toBe(2);
  });

  it('answers 400 naming header.idempotency-key for an empty, overlong or non-ASCII key', async () => {
    const { metric, source, readings } = await setup();
    for (const bad of ['', 'k'.repeat(201), 'clé']) {
      const response = await source.request('POST', readings, { value: 47 }, { 'idempotency-key': bad });
      expect(response.status, JSON.stringify(bad)).toBe(400);
      expect(response.body.issues).toEqual([
        { path: 'header.idempotency-key', message: 'must be 1 to 200 printable characters' },
      ]);
    }
    expect(await readingCount(metric.id)).toBe(0);
    expect((await source.request('POST', readings, { value: 47 }, { 'idempotency-key': 'k'.repeat(200) })).status).toBe(
      201,
    );
  });
});
