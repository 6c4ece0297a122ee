import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, createOrganization, signUp } from '../support/client.ts';
import { createMetric, YEAR_END, YEAR_START } from '../support/portfolio.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

async function orgWithAdmin() {
  const admin = await signUp(server.origin, 'Metric Admin');
  const org = await createOrganization(admin.client, 'Metrics Org');
  return { admin, org };
}

describe('metrics', () => {
  it('defines a metric with defaults and shows it with no data yet', async () => {
    const { admin, org } = await orgWithAdmin();
    const metric = await createMetric(admin.client, org.id, admin.user.id);
    const list = await admin.client.get(`/api/orgs/${org.id}/metrics`);
    expect(list.status).toBe(200);
    expect(list.body.metrics).toHaveLength(1);
    expect(list.body.metrics[0]).toMatchObject({
      id: metric.id,
      name: 'Fuel cost savings',
      frequency: 'weekly',
      slipThreshold: 0.15,
      owner: { id: admin.user.id, name: 'Metric Admin' },
      startAt: YEAR_START,
      assessment: { status: 'no data', slip: null, trend: 'unknown', latest: null, staleSince: null },
    });
  });

  it('names every invalid field', async () => {
    const { admin, org } = await orgWithAdmin();
    const response = await admin.client.post(`/api/orgs/${org.id}/metrics`, {
      name: '',
      unit: 'kilograms',
      direction: 'higher',
      baseline: 'zero',
      target: 10,
      startAt: 'yesterday',
      targetAt: YEAR_END,
      ownerId: admin.user.id,
      slipThreshold: 15,
    });
    expect(response.status).toBe(400);
    expect(response.body.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'baseline',
      'name',
      'slipThreshold',
      'startAt',
      'unit',
    ]);
  });

  it('checks the plan as a whole: dates in order, a range needs its bounds, money needs a currency', async () => {
    const { admin, org } = await orgWithAdmin();
    const response = await admin.client.post(`/api/orgs/${org.id}/metrics`, {
      name: 'Bad plan',
      unit: 'currency',
      direction: 'range',
      baseline: 1,
      target: 2,
      startAt: YEAR_END,
      targetAt: YEAR_START,
      ownerId: admin.user.id,
    });
    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual(
      expect.arrayContaining([
        { path: 'targetAt', message: 'must be after the start date' },
        { path: 'rangeMin', message: 'is required for a range' },
        { path: 'currency', message: 'is required when the unit is currency' },
      ]),
    );
  });

  it('requires the owner to be a member of the organization', async () => {
    const { admin, org } = await orgWithAdmin();
    const stranger = await signUp(server.origin, 'Stranger');
    const response = await admin.client.post(`/api/orgs/${org.id}/metrics`, {
      name: 'Owned by a stranger',
      unit: 'number',
      direction: 'higher',
      baseline: 0,
      target: 1,
      startAt: YEAR_START,
      targetAt: YEAR_END,
      ownerId: stranger.user.id,
    });
    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual([{ path: 'ownerId', message: 'must be a member of this organization' }]);
  });

  it('lets the owner change a metric, re-checking the merged plan', async () => {
    const { admin, org } = await orgWithAdmin();
    const metric = await createMetric(admin.client, org.id, admin.user.id);
    const renamed = await admin.client.request('PATCH', `/api/metrics/${metric.id}`, {
      name: 'Fuel savings (%)',
      slipThreshold: 0.2,
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.metric).toMatchObject({ name: 'Fuel savings (%)', slipThreshold: 0.2, target: 100 });
    const broken = await admin.client.request('PATCH', `/api/metrics/${metric.id}`, { targetAt: '2025-06-01' });
    expect(broken.status).toBe(400);
    expect(broken.body.issues).toEqual([{ path: 'targetAt', message: 'must be after the start date' }]);
  });

  it('keeps what a unit is called, and refuses one where the unit already says it', async () => {
    const { admin, org } = await orgWithAdmin();
    const latency = await createMetric(admin.client, org.id, admin.user.id, {
      name: 'Dispatch p95 latency',
      unit: 'duration',
      unitLabel: 'ms',
      direction: 'lower',
      baseline: 1200,
      target: 300,
    });
    const read = await admin.client.get(`/api/metrics/${latency.id}`);
    expect(read.body.metric).toMatchObject({ unit: 'duration', unitLabel: 'ms' });

    const percent = await admin.client.post(`/api/orgs/${org.id}/metrics`, {
      name: 'Depots with scanners',
      unit: 'percent',
      unitLabel: 'depots',
      direction: 'higher',
      baseline: 0,
      target: 100,
      startAt: YEAR_START,
      targetAt: YEAR_END,
      ownerId: admin.user.id,
    });
    expect(percent.status).toBe(400);
    expect(percent.body.issues).toEqual([{ path: 'unitLabel', message: 'must be empty for a percentage' }]);
    const tooLong = await admin.client.request('PATCH', `/api/metrics/${latency.id}`, { unitLabel: 'x'.repeat(17) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.issues[0]).toMatchObject({ path: 'unitLabel' });

    // Turning it into a percentage keeps nothing that contradicts it: the label goes with the same PATCH.
    const kept = await admin.client.request('PATCH', `/api/metrics/${latency.id}`, { unit: 'percent' });
    expect(kept.status).toBe(400);
    const changed = await admin.client.request('PATCH', `/api/metrics/${latency.id}`, {
      unit: 'percent',
      unitLabel: null,
      baseline: 40,
      target: 10,
    });
    expect(changed.status).toBe(200);
    expect(changed.body.metric).toMatchObject({ unit: 'percent', unitLabel: null });
  });

  it('keeps metrics of one organization away from another', async () => {
    const { admin, org } = await orgWithAdmin();
    const metric = await createMetric(admin.client, org.id, admin.user.id);
    const other = await signUp(server.origin, 'Other Org Admin');
    await createOrganization(other.client, 'Other Org');
    expect((await other.client.get(`/api/orgs/${org.id}/metrics`)).status).toBe(403);
    expect((await other.client.get(`/api/metrics/${metric.id}`)).status).toBe(404);
    expect((await other.client.request('PATCH', `/api/metrics/${metric.id}`, { name: 'Hijacked' })).status).toBe(404);
    expect((await other.client.delete(`/api/metrics/${metric.id}`)).status).toBe(404);
    expect((await other.client.post(`/api/metrics/${metric.id}/readings`, { value: 1 })).status).toBe(404);
    expect((await admin.client.get(`/api/metrics/${metric.id}`)).body.metric.name).toBe('Fuel cost savings');
  });

  it('lets only the owner or an admin change or remove a metric', async () => {
    const { admin, org } = await orgWithAdmin();
    const metric = await createMetric(admin.client, org.id, admin.user.id);
    const invite = await admin.client.post(`/api/orgs/${org.id}/invites`, {});
    const member = await signUp(server.origin, 'Plain Member');
    await member.client.post(`/api/invites/${new URL(invite.body.url).pathname.split('/').pop()}/accept`);
    expect((await member.client.get(`/api/metrics/${metric.id}`)).status).toBe(200);
    expect((await member.client.request('PATCH', `/api/metrics/${metric.id}`, { name: 'Mine now' })).status).toBe(403);
    expect((await member.client.delete(`/api/metrics/${metric.id}`)).status).toBe(403);
    expect((await admin.client.delete(`/api/metrics/${metric.id}`)).status).toBe(204);
    expect((await admin.client.get(`/api/metrics/${metric.id}`)).status).toBe(404);
  });

  it('lists metrics for an API token of the organization', async () => {
    const { admin, org } = await orgWithAdmin();
    await createMetric(admin.client, org.id, admin.user.id);
    const { body } = await admin.client.post(`/api/orgs/${org.id}/tokens`, { name: 'BI' });
    const source = new ApiClient(server.origin, { sendOrigin: false, bearer: body.secret });
    const list = await source.get(`/api/orgs/${org.id}/metrics`);
    expect(list.status).toBe(200);
    expect(list.body.metrics).toHaveLength(1);
  });
});
