import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, signUp } from '../support/client.ts';
import { createMetric, planInstant, YEAR_END, YEAR_START } from '../support/portfolio.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

async function setup() {
  const admin = await signUp(server.origin, 'Portfolio Admin');
  const org = await createOrganization(admin.client, 'Portfolio Org');
  return { admin, org, client: admin.client, base: `/api/orgs/${org.id}` };
}

describe('objectives and key results', () => {
  it('creates an objective with an owner and a key result measured by a metric', async () => {
    const { admin, org, client, base } = await setup();
    const objective = await client.post(`${base}/objectives`, {
      title: 'Cut last-mile delivery time 20%',
      ownerId: admin.user.id,
    });
    expect(objective.status).toBe(201);
    expect(objective.body.objective).toMatchObject({
      title: 'Cut last-mile delivery time 20%',
      owner: { name: 'Portfolio Admin' },
    });
    const metric = await createMetric(client, org.id, admin.user.id, {
      name: 'Median delivery time',
      direction: 'lower',
      baseline: 48,
      target: 38.4,
      unit: 'duration',
    });
    const keyResult = await client.post(`${base}/key-results`, {
      objectiveId: objective.body.objective.id,
      title: 'Median delivery under 38.4 h',
      metricId: metric.id,
    });
    expect(keyResult.status).toBe(201);
    const list = await client.get(`${base}/objectives`);
    expect(list.body.keyResults).toEqual([
      {
        id: keyResult.body.keyResult.id,
        objectiveId: objective.body.objective.id,
        title: 'Median delivery under 38.4 h',
        metricId: metric.id,
      },
    ]);
  });

  it('refuses references into another organization and unknown owners', async () => {
    const { admin, client, base } = await setup();
    const other = await setup();
    const foreignObjective = await other.client.post(`${other.base}/objectives`, {
      title: 'Theirs',
      ownerId: other.admin.user.id,
    });
    const stranger = await signUp(server.origin, 'Stranger');
    expect((await client.post(`${base}/objectives`, { title: 'Mine', ownerId: stranger.user.id })).body.issues).toEqual(
      [{ path: 'ownerId', message: 'must be a member of this organization' }],
    );
    const keyResult = await client.post(`${base}/key-results`, {
      objectiveId: foreignObjective.body.objective.id,
      title: 'Sneaky',
    });
    expect(keyResult.status).toBe(400);
    expect(keyResult.body.issues).toEqual([
      { path: 'objectiveId', message: 'is not an objective of this organization' },
    ]);
    expect(
      (
        await client.request('PUT', `${base}/objectives/${foreignObjective.body.objective.id}`, {
          title: 'Hijack',
          ownerId: admin.user.id,
        })
      ).status,
    ).toBe(404);
    expect((await client.delete(`${base}/objectives/${foreignObjective.body.objective.id}`)).status).toBe(404);
    expect((await other.client.get(`${other.base}/objectives`)).body.objectives[0].title).toBe('Theirs');
  });
});

describe('initiatives', () => {
  it('shows delivery and value status side by side: milestones green, value slipping', async () => {
    const { admin, org, client, base } = await setup();
    const initiative = await client.post(`${base}/initiatives`, {
      title: 'Fleet fuel cost savings',
      ownerId: admin.user.id,
      team: 'Finance',
      plannedValue: 1_000_000,
      realizedValue: 300_000,
      currency: 'EUR',
      startAt: YEAR_START,
      targetAt: YEAR_END,
      links: [{ label: 'Jira epic', url: 'https://jira.example.com/browse/FIN-12' }],
    });
    expect(initiative.status).toBe(201);
    const id = initiative.body.initiative.id;
    const metric = await createMetric(client, org.id, admin.user.id, { name: 'Routes optimised', initiativeIds: [id] });
    await client.post(`/api/metrics/${metric.id}/readings`, { value: 50, at: planInstant(50) });

    server.clock.advance(Date.parse(planInstant(50)) - Date.now());
    try {
      const shown = await client.get(`${base}/initiatives/${id}`);
      expect(shown.body.initiative).toMatchObject({
        team: 'Finance',
        metricIds: [metric.id],
        links: [{ label: 'Jira epic', url: 'https://jira.example.com/browse/FIN-12' }],
        status: { delivery: 'on track', value: 'off track', moneyAtRisk: 700_000 },
      });
      expect(shown.body.initiative.status.valueSlip).toBeCloseTo(0.2, 2);
    } finally {
      server.clock.advance(Date.now() - Date.parse(planInstant(50)));
    }
  });

  it('validates money, links and the owner, and merges partial changes', async () => {
    const { admin, client, base } = await setup();
    const bad = await client.post(`${base}/initiatives`, {
      title: 'Scanner rollout',
      ownerId: admin.user.id,
      team: 'Regions',
      plannedValue: 5000,
      links: [{ label: 'Tracker', url: 'javascript:alert(1)' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'currency',
      'links.0.url',
      'startAt',
      'targetAt',
    ]);

    const created = await client.post(`${base}/initiatives`, {
      title: 'Scanner rollout',
      ownerId: admin.user.id,
      team: 'Regions',
    });
    expect(created.body.initiative.status).toEqual({
      delivery: 'no data',
      value: 'no data',
      valueSlip: null,
      moneyAtRisk: 0,
    });
    const changed = await client.request('PATCH', `${base}/initiatives/${created.body.initiative.id}`, {
      team: 'Regional operations',
    });
    expect(changed.status).toBe(200);
    expect(changed.body.initiative).toMatchObject({ title: 'Scanner rollout', team: 'Regional operations' });
    expect((await client.get(`${base}/teams`)).body.teams).toEqual(['Regional operations']);
  });
});

describe('portfolio', () => {
  it('returns the whole tree with statuses and sparkline history in one read', async () => {
    const { admin, org, client, base } = await setup();
    const objective = (await client.post(`${base}/objectives`, { title: 'Objective', ownerId: admin.user.id })).body
      .objective;
    const metric = await createMetric(client, org.id, admin.user.id);
    const keyResult = (
      await client.post(`${base}/key-results`, { objectiveId: objective.id, title: 'KR', metricId: metric.id })
    ).body.keyResult;
    await client.post(`${base}/initiatives`, {
      title: 'Initiative',
      ownerId: admin.user.id,
      team: 'IT',
      keyResultId: keyResult.id,
    });
    for (let i = 1; i <= 25; i++)
      await client.post(`/api/metrics/${metric.id}/readings`, { value: i, at: planInstant(i) });

    const response = await client.get(`${base}/portfolio`);
    expect(response.status).toBe(200);
    expect(response.body.objectives).toHaveLength(1);
    expect(response.body.keyResults[0].metricId).toBe(metric.id);
    expect(response.body.initiatives[0].keyResultId).toBe(keyResult.id);
    const history = response.body.metrics[0].history.map((r: { value: number }) => r.value);
    expect(history).toEqual(Array.from({ length: 20 }, (_, i) => i + 6));
    expect(response.body.metrics[0].assessment.latest.value).toBe(25);
    const stranger = await signUp(server.origin);
    expect((await stranger.client.get(`${base}/portfolio`)).status).toBe(403);
  });
});
