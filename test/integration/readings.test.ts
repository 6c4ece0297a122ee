import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../server/domain/events.ts';
import { ApiClient, createOrganization, signUp } from '../support/client.ts';
import { createMetric, planInstant } from '../support/portfolio.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

async function setup() {
  const admin = await signUp(server.origin, 'Reading Admin');
  const org = await createOrganization(admin.client, 'Readings Org');
  const metric = await createMetric(admin.client, org.id, admin.user.id);
  const { body } = await admin.client.post(`/api/orgs/${org.id}/tokens`, { name: 'BI export' });
  const source = new ApiClient(server.origin, { sendOrigin: false, bearer: body.secret });
  return { admin, org, metric, source };
}

function collect(metricId: string) {
  const events: DomainEvent[] = [];
  const stop = server.events.subscribe((event) => {
    if ('metricId' in event && event.metricId === metricId) events.push(event);
  });
  return { events, stop, types: () => events.map((e) => e.type) };
}

describe('pushing readings', () => {
  it('records a reading from an API token and re-assesses the metric at once', async () => {
    const { admin, metric, source } = await setup();
    // Mid-plan the metric should be at 50; 32 is 18% behind.
    const response = await source.post(`/api/metrics/${metric.id}/readings`, {
      value: 32,
      at: planInstant(50),
      source: 'bi',
    });
    expect(response.status).toBe(201);
    expect(response.body.duplicate).toBe(false);
    expect(response.body.assessment.status).toBe('off track');
    expect(response.body.assessment.slip).toBeCloseTo(0.18, 6);
    const shown = await admin.client.get(`/api/metrics/${metric.id}`);
    expect(shown.body.metric.assessment).toMatchObject({ status: 'off track', latest: { value: 32 } });
  });

  it('is idempotent on (metric, at, source): a retry does not double-count', async () => {
    const { admin, metric, source } = await setup();
    const reading = { value: 40, at: planInstant(40), source: 'bi', note: 'nightly' };
    expect((await source.post(`/api/metrics/${metric.id}/readings`, reading)).status).toBe(201);
    const retry = await source.post(`/api/metrics/${metric.id}/readings`, reading);
    expect(retry.status).toBe(200);
    expect(retry.body.duplicate).toBe(true);
    expect((await admin.client.get(`/api/metrics/${metric.id}/readings`)).body.readings).toHaveLength(1);
    const sameTimeOtherSource = await source.post(`/api/metrics/${metric.id}/readings`, {
      ...reading,
      source: 'manual',
    });
    expect(sameTimeOtherSource.status).toBe(201);
  });

  it('accepts readings out of order and judges by the latest one in time', async () => {
    const { admin, metric, source } = await setup();
    await source.post(`/api/metrics/${metric.id}/readings`, { value: 60, at: planInstant(60), source: 'bi' });
    const older = await source.post(`/api/metrics/${metric.id}/readings`, {
      value: 1,
      at: planInstant(30),
      source: 'bi',
    });
    expect(older.status).toBe(201);
    expect(older.body.assessment).toMatchObject({ status: 'on track', latest: { value: 60 } });
    const list = await admin.client.get(`/api/metrics/${metric.id}/readings`);
    expect(list.body.readings.map((r: { value: number }) => r.value)).toEqual([60, 1]);
  });

  it('lets a member push a reading with the session, and refuses anonymous or foreign requests', async () => {
    const { admin, metric } = await setup();
    expect((await admin.client.post(`/api/metrics/${metric.id}/readings`, { value: 10 })).status).toBe(201);
    expect((await new ApiClient(server.origin).post(`/api/metrics/${metric.id}/readings`, { value: 10 })).status).toBe(
      401,
    );
    const other = await setup();
    expect((await other.source.post(`/api/metrics/${metric.id}/readings`, { value: 10 })).status).toBe(404);
    const revoked = new ApiClient(server.origin, { sendOrigin: false, bearer: `lm_${'b'.repeat(32)}` });
    expect((await revoked.post(`/api/metrics/${metric.id}/readings`, { value: 10 })).status).toBe(401);
  });

  it('rejects a reading that is not a finite number', async () => {
    const { metric, source } = await setup();
    const response = await source.post(`/api/metrics/${metric.id}/readings`, { value: 'lots', at: 'soon' });
    expect(response.status).toBe(400);
    expect(response.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['at', 'value']);
  });
});

describe('pushing a batch', () => {
  it('keeps the good rows and lists the bad ones with their index and reason', async () => {
    const { admin, org, metric, source } = await setup();
    const foreign = await setup();
    const response = await source.post(`/api/orgs/${org.id}/readings`, {
      readings: [
        { metricId: metric.id, value: 10, at: planInstant(10), source: 'bi' },
        { metricId: metric.id, value: 'n/a', at: planInstant(11) },
        { metricId: foreign.metric.id, value: 5 },
        { metricId: metric.id, value: 20, at: planInstant(20), source: 'bi' },
        { metricId: metric.id, value: 20, at: planInstant(20), source: 'bi' },
        'not even an object',
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body.accepted).toBe(2);
    expect(response.body.duplicates).toBe(1);
    expect(response.body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 5]);
    expect(response.body.rejected[0].issues).toEqual([{ path: 'value', message: 'must be a number' }]);
    expect(response.body.rejected[1].issues).toEqual([
      { path: 'metricId', message: 'is not a metric of this organization' },
    ]);
    const list = await admin.client.get(`/api/metrics/${metric.id}/readings`);
    expect(list.body.readings.map((r: { value: number }) => r.value)).toEqual([20, 10]);
    expect((await foreign.admin.client.get(`/api/metrics/${foreign.metric.id}/readings`)).body.readings).toEqual([]);
  });

  it('refuses an empty or oversized batch as a whole', async () => {
    const { org, source } = await setup();
    expect((await source.post(`/api/orgs/${org.id}/readings`, { readings: [] })).status).toBe(400);
    const tooMany = Array.from({ length: 5001 }, () => ({}));
    const response = await source.post(`/api/orgs/${org.id}/readings`, { readings: tooMany });
    expect(response.status).toBe(400);
    expect(response.body.issues[0].path).toBe('readings');
  });
});

describe('threshold events', () => {
  it('fires metric.slipped once when the metric crosses its threshold, and metric.recovered when it comes back', async () => {
    const { metric, source } = await setup();
    const seen = collect(metric.id);
    try {
      await source.post(`/api/metrics/${metric.id}/readings`, { value: 48, at: planInstant(50), source: 'bi' });
      expect(seen.types()).toEqual(['metric.updated']);
      await source.post(`/api/metrics/${metric.id}/readings`, { value: 40, at: planInstant(55), source: 'bi' });
      await source.post(`/api/metrics/${metric.id}/readings`, { value: 38, at: planInstant(56), source: 'bi' });
      // A retry of the same reading changes nothing and publishes nothing.
      await source.post(`/api/metrics/${metric.id}/readings`, { value: 38, at: planInstant(56), source: 'bi' });
      expect(seen.types()).toEqual(['metric.updated', 'metric.updated', 'metric.slipped', 'metric.updated']);
      const slipped = seen.events.find((e) => e.type === 'metric.slipped')!;
      expect(slipped).toMatchObject({
        status: 'off track',
        previousStatus: 'on track',
        metricName: 'Fuel cost savings',
        slipThreshold: 0.15,
      });
      await source.post(`/api/metrics/${metric.id}/readings`, { value: 57, at: planInstant(57), source: 'bi' });
      expect(seen.types().slice(-2)).toEqual(['metric.updated', 'metric.recovered']);
    } finally {
      seen.stop();
    }
  });

  it('fires metric.slipped exactly once when many slipping readings arrive at the same time', async () => {
    const { metric, source } = await setup();
    const seen = collect(metric.id);
    try {
      const responses = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          source.post(`/api/metrics/${metric.id}/readings`, {
            value: 10 + i / 10,
            at: planInstant(50 + i / 10),
            source: `feed-${i}`,
          }),
        ),
      );
      expect(responses.every((r) => r.status === 201)).toBe(true);
      expect(seen.types().filter((t) => t === 'metric.slipped')).toHaveLength(1);
      expect(seen.types().filter((t) => t === 'metric.updated')).toHaveLength(12);
    } finally {
      seen.stop();
    }
  });

  it('re-assesses a metric whose plan changes, firing a crossing once and not again on the next reading', async () => {
    const { admin, metric, source } = await setup();
    // 12% behind at mid-plan: at risk under the default 15% threshold.
    await source.post(`/api/metrics/${metric.id}/readings`, { value: 38, at: planInstant(50), source: 'bi' });
    const seen = collect(metric.id);
    try {
      const stricter = await admin.client.request('PATCH', `/api/metrics/${metric.id}`, { slipThreshold: 0.1 });
      expect(stricter.body.metric.assessment.status).toBe('off track');
      expect(seen.types()).toEqual(['metric.updated', 'metric.slipped']);
      await source.post(`/api/metrics/${metric.id}/readings`, { value: 39, at: planInstant(51), source: 'bi' });
      expect(seen.types()).toEqual(['metric.updated', 'metric.slipped', 'metric.updated']);
      await admin.client.request('PATCH', `/api/metrics/${metric.id}`, { slipThreshold: 0.3 });
      expect(seen.types().slice(-2)).toEqual(['metric.updated', 'metric.recovered']);
      expect(seen.events.at(-1)).toMatchObject({ previousStatus: 'off track', status: 'on track', slipThreshold: 0.3 });
    } finally {
      seen.stop();
    }
  });
});
