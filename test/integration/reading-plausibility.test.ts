// Issue 27, plausible readings: a value a metric cannot take (beyond 10^15, outside its bounds, outside 0–100 for a
// percent metric) is refused naming `value`, and stores nothing or re-runs no triage; a value far outside the recent
// readings needs confirmJump: true; a metric's bounds are set on create and PATCH; the batch and the CSV import
// reject such rows with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../server/domain/events.ts';
import { ApiClient, createOrganization, signUp } from '../support/client.ts';
import { createMetric } from '../support/portfolio.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

const ago = (ms: number) => new Date(server.clock.now.getTime() - ms).toISOString();

/** An admin, an API token, and a daily percent metric from 0 to 100 whose plan passes 50 now. */
async function setup(overrides: Record<string, unknown> = {}) {
  const admin = await signUp(server.origin, 'Plausible Admin');
  const org = await createOrganization(admin.client, 'Plausible Org');
  const metric = await createMetric(admin.client, org.id, admin.user.id, {
    frequency: 'daily',
    startAt: ago(100 * DAY),
    targetAt: ago(-100 * DAY),
    ...overrides,
  });
  const { body } = await admin.client.post(`/api/orgs/${org.id}/tokens`, { name: 'BI export' });
  const source = new ApiClient(server.origin, { sendOrigin: false, bearer: body.secret });
  return { admin, org, metric, source, readings: `/api/metrics/${metric.id}/readings` };
}

async function storedValues(metricId: string): Promise<number[]> {
  const rows = await server.db.sql<{ value: number }[]>`
    select value from readings where metric_id = ${metricId} order by at
  `;
  return rows.map((row) => row.value);
}

function collect(metricId: string) {
  const events: DomainEvent[] = [];
  const stop = server.events.subscribe((event) => {
    if ('metricId' in event && event.metricId === metricId) events.push(event);
  });
  return { events, stop };
}

describe('bounds', () => {
  it('refuses -50 on a percent metric naming value: nothing stored, no status change, no pivot', async () => {
    const { admin, metric, readings } = await setup();
    expect((await admin.client.post(readings, { value: 50, at: ago(2 * HOUR), source: 'bi' })).status).toBe(201);
    const seen = collect(metric.id);
    try {
      const refused = await admin.client.post(readings, { value: -50, at: ago(HOUR), source: 'typo' });
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({
        error: 'Readings of this metric must be between 0% and 100%',
        code: 'reading_out_of_bounds',
        issues: [{ path: 'value', message: 'Readings of this metric must be between 0% and 100%' }],
      });
      // Nor does confirming make it a reading.
      const confirmed = await admin.client.post(readings, { value: -50, confirmJump: true });
      expect(confirmed.status).toBe(400);
      expect(confirmed.body.issues).toEqual([{ path: 'value', message: expect.stringMatching(/0% and 100%/) }]);
      expect((await admin.client.post(readings, { value: 100.5 })).status).toBe(400);
    } finally {
      seen.stop();
    }
    expect(seen.events).toEqual([]);
    expect(await storedValues(metric.id)).toEqual([50]);
    const after = (await admin.client.get(`/api/metrics/${metric.id}`)).body.metric;
    expect(after.assessment).toMatchObject({ status: 'on track', latest: { value: 50 } });
  });

  it('refuses 1e21 on every unit, even within the metric’s own bounds', async () => {
    const { admin, metric, readings } = await setup({ unit: 'number' });
    const refused = await admin.client.post(readings, { value: 1e21 });
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([
      { path: 'value', message: expect.stringMatching(/too large to be a reading/) },
    ]);
    expect((await admin.client.post(readings, { value: -1e16 })).status).toBe(400);
    const wide = await admin.client.request('PATCH', `/api/metrics/${metric.id}`, { plausibleMax: 1e16 });
    expect(wide.status).toBe(400);
    expect(wide.body.issues.map((issue: { path: string }) => issue.path)).toEqual(['plausibleMax']);
    expect(await storedValues(metric.id)).toEqual([]);
  });

  it('honours a metric’s own bounds, on create and in its responses', async () => {
    const { admin, org } = await setup();
    const growth = await createMetric(admin.client, org.id, admin.user.id, {
      name: 'Revenue growth',
      baseline: 0,
      target: 40,
      plausibleMin: -20,
      plausibleMax: 300,
    });
    expect(growth).toMatchObject({ plausibleMin: -20, plausibleMax: 300 });
    const readings = `/api/metrics/${growth.id}/readings`;
    expect((await admin.client.post(readings, { value: -10, at: ago(3 * HOUR) })).status).toBe(201);
    expect((await admin.client.post(readings, { value: 250, at: ago(2 * HOUR) })).status).toBe(201);
    const low = await admin.client.post(readings, { value: -21, at: ago(HOUR) });
    expect(low.status).toBe(400);
    expect(low.body.issues).toEqual([
      { path: 'value', message: 'Readings of this metric must be between -20% and 300%' },
    ]);
    const listed = (await admin.client.get(`/api/orgs/${org.id}/metrics`)).body.metrics;
    expect(listed.find((m: { id: string }) => m.id === growth.id)).toMatchObject({ plausibleMin: -20 });
    // Bounds that leave no room for the plan are refused, naming the bound.
    const tight = await admin.client.post(`/api/orgs/${org.id}/metrics`, {
      name: 'Tight',
      unit: 'number',
      direction: 'higher',
      baseline: 0,
      target: 100,
      startAt: ago(DAY),
      targetAt: ago(-DAY),
      ownerId: admin.user.id,
      plausibleMin: 10,
    });
    expect(tight.status).toBe(400);
    expect(tight.body.issues).toEqual([{ path: 'plausibleMin', message: 'must leave room for the baseline (0)' }]);
  });

  it('changes only the bounds on a PATCH that names them, keeping every other field', async () => {
    const { admin, metric } = await setup({ frequency: 'monthly', slipThreshold: 0.2 });
    const before = (await admin.client.get(`/api/metrics/${metric.id}`)).body.metric;
    const patched = await admin.client.request('PATCH', `/api/metrics/${metric.id}`, { plausibleMax: 150 });
    expect(patched.status).toBe(200);
    const { assessment: _a, ...rest } = patched.body.metric;
    const { assessment: _b, ...restBefore } = before;
    expect(rest).toEqual({ ...restBefore, plausibleMax: 150 });
    expect(rest).toMatchObject({ frequency: 'monthly', slipThreshold: 0.2, plausibleMin: null });
    // The percent default still holds on the side the metric leaves open.
    const readings = `/api/metrics/${metric.id}/readings`;
    expect((await admin.client.post(readings, { value: 140 })).status).toBe(201);
    expect((await admin.client.post(readings, { value: -1, source: 'low' })).status).toBe(400);
    const cleared = await admin.client.request('PATCH', `/api/metrics/${metric.id}`, { plausibleMax: null });
    expect(cleared.body.metric).toMatchObject({ plausibleMax: null, frequency: 'monthly' });
  });
});

describe('jumps', () => {
  /** A latency metric (1,200 ms down to 300 ms) with readings of 900 to 1,100 over the last days. */
  async function latency() {
    const context = await setup({ unit: 'duration', direction: 'lower', baseline: 1200, target: 300 });
    for (const [index, value] of [1100, 1000, 950, 900].entries()) {
      const at = ago((5 - index) * DAY);
      expect((await context.source.post(context.readings, { value, at, source: 'apm' })).status).toBe(201);
    }
    return context;
  }

  it('asks to confirm a value far outside the recent readings, then records it when confirmed', async () => {
    const { metric, source, readings } = await latency();
    const seen = collect(metric.id);
    const jump = { value: 90_000, at: ago(HOUR), source: 'apm' };
    try {
      const asked = await source.post(readings, jump);
      expect(asked.status).toBe(409);
      expect(asked.body).toMatchObject({
        error: 'This is far outside the recent readings (900 to 1,100)',
        code: 'reading_jump',
        issues: [{ path: 'value', message: expect.stringContaining('confirmJump: true') }],
      });
      expect(seen.events).toEqual([]);
      expect(await storedValues(metric.id)).toEqual([1100, 1000, 950, 900]);

      const confirmed = await source.post(readings, { ...jump, confirmJump: true });
      expect(confirmed.status).toBe(201);
      expect(confirmed.body).toMatchObject({ reading: { value: 90_000 }, assessment: { status: 'off track' } });
      expect(seen.events.map((event) => event.type)).toContain('metric.updated');
    } finally {
      seen.stop();
    }
    expect(await storedValues(metric.id)).toEqual([1100, 1000, 950, 900, 90_000]);
    // Within reach of the series is no jump: 3,800 ms is 3 × 900 ms above the highest recent reading.
    expect((await source.post(readings, { value: 3800, source: 'other' })).status).toBe(201);
  });

  it('judges a correction against the other readings, and keeps the Idempotency-Key for the confirmed retry', async () => {
    const { admin, readings } = await latency();
    const at = ago(HOUR);
    const key = crypto.randomUUID();
    const headers = { 'idempotency-key': key };
    const first = await admin.client.request('POST', readings, { value: 1e6, at, source: 'manual' }, headers);
    expect(first.status).toBe(409);
    const confirmed = await admin.client.request(
      'POST',
      readings,
      { value: 1e6, at, source: 'manual', confirmJump: true },
      headers,
    );
    expect(confirmed.status).toBe(201);
    const retried = await admin.client.request(
      'POST',
      readings,
      { value: 1e6, at, source: 'manual', confirmJump: true },
      headers,
    );
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    // Correcting the typo back to a normal value is no jump, although 10^6 is among the recent readings.
    const fixed = await admin.client.post(readings, { value: 980, at, source: 'manual' });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ corrected: true, reading: { value: 980 } });
  });

  it('rejects implausible rows of a batch with their index and keeps the others', async () => {
    const { admin, org, metric } = await latency();
    const response = await admin.client.post(`/api/orgs/${org.id}/readings`, {
      readings: [
        { metricId: metric.id, value: 1000, at: ago(3 * HOUR), source: 'batch' },
        { metricId: metric.id, value: -1e18, at: ago(2 * HOUR), source: 'batch' },
        { metricId: metric.id, value: 50_000, at: ago(HOUR), source: 'batch' },
        { metricId: metric.id, value: 60_000, at: ago(HOUR), source: 'confirmed', confirmJump: true },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      accepted: 2,
      rejected: [
        { index: 1, issues: [{ path: 'value', message: expect.stringMatching(/^is too large to be a reading/) }] },
        { index: 2, issues: [{ path: 'value', message: expect.stringMatching(/^is far outside the recent/) }] },
      ],
    });
    expect(await storedValues(metric.id)).toEqual([1100, 1000, 950, 900, 1000, 60_000]);
  });

  it('reports implausible CSV rows as rejected with the reason, and imports the rest', async () => {
    const { source, org, metric } = await latency();
    const jumpAt = ago(HOUR);
    const csv = [
      'at,value',
      `${ago(4 * HOUR)},990`,
      `${ago(3 * HOUR)},-5`,
      `${ago(2 * HOUR)},1e21`,
      `${jumpAt},5000000`,
      `${ago(HOUR / 2)},1010`,
    ].join('\n');
    const started = await source.request(
      'POST',
      `/api/orgs/${org.id}/imports?at=at&value=value&metricId=${metric.id}`,
      `${csv}\n`,
      { 'content-type': 'text/csv' },
    );
    expect(started.status).toBe(202);
    let job: Record<string, unknown> = started.body.import;
    for (let i = 0; i < 100 && job.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = (await source.get(`/api/orgs/${org.id}/imports/${started.body.import.id}`)).body.import;
    }
    // -5 ms is a plausible value for a duration without bounds: only the absurd one and the jump are refused, each
    // worded to follow the field's name, as the import page lists them.
    expect(job).toMatchObject({
      status: 'done',
      accepted: 3,
      rejectedCount: 2,
      rejected: [
        { row: 4, issues: [{ path: 'value', message: expect.stringMatching(/too large/) }] },
        {
          row: 5,
          issues: [{ path: 'value', message: expect.stringMatching(/^is far outside .*record it anyway/) }],
          // The refused jump carries its reading, for the import page to record it anyway once confirmed.
          jump: { metricId: metric.id, value: 5_000_000, at: jumpAt, source: 'csv', note: null },
        },
      ],
    });
    expect((job.rejected as { jump?: unknown }[])[0]).not.toHaveProperty('jump');
    const { jump } = (job.rejected as { jump: Record<string, unknown> }[])[1]!;
    const confirmed = await source.post(`/api/metrics/${metric.id}/readings`, { ...jump, confirmJump: true });
    expect(confirmed.status).toBe(201);
  });
});

describe('the reading response', () => {
  it('carries the metric’s staleSince, as other metric responses do', async () => {
    const { admin, readings } = await setup();
    const fresh = await admin.client.post(readings, { value: 50, at: ago(HOUR) });
    expect(fresh.body.assessment).toMatchObject({ staleSince: null });
    // A daily metric whose latest reading is a week old is stale, and says since when.
    const other = await setup();
    const at = ago(7 * DAY);
    const old = await other.admin.client.post(other.readings, { value: 10, at });
    expect(old.status).toBe(201);
    expect(old.body.assessment.status).toBe('stale');
    // A day's period and a day's grace after the reading.
    expect(old.body.assessment.staleSince).toBe(new Date(Date.parse(at) + 2 * DAY).toISOString());
  });
});
