// Dependencies through the API: defaults, cycle rejection (also under concurrency), risk, isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DependencyMapSchema } from '../../server/http/dependency-schemas.ts';
import { createOrganization, signUp, type ApiClient } from '../support/client.ts';
import { createMetric, planInstant } from '../support/portfolio.ts';
import { addMember, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let admin: Person;
let regional: Person;
let orgId: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signUp(server.origin, 'Ada Admin');
  orgId = (await createOrganization(admin.client, 'Deps Org')).id;
  regional = await addMember(server.origin, admin.client, orgId, 'Priya Regional');
});
afterAll(() => server?.stop());

async function initiative(client: ApiClient, title: string, ownerId: string, extra: Record<string, unknown> = {}) {
  const response = await client.post(`/api/orgs/${orgId}/initiatives`, { title, ownerId, team: 'Team', ...extra });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.initiative.id as string;
}

const depend = (client: ApiClient, dependentId: string, dependencyId: string, extra: object = {}) =>
  client.post(`/api/orgs/${orgId}/dependencies`, { dependentId, dependencyId, ...extra });

describe('dependencies', () => {
  it('records who asks and who delivers (the owners unless named), and refuses a cycle naming it', async () => {
    const api = await initiative(admin.client, 'Dispatch API speed-up', admin.user.id);
    const scanners = await initiative(admin.client, 'Handheld scanner rollout', regional.user.id);
    const hardware = await initiative(admin.client, 'Scanner hardware purchase', regional.user.id);

    const created = await depend(admin.client, api, scanners, { note: 'Scans at the door', neededBy: '2027-01-15' });
    expect(created.status).toBe(201);
    expect(created.body.dependency).toMatchObject({
      dependentId: api,
      dependencyId: scanners,
      note: 'Scans at the door',
      neededBy: '2027-01-15',
      requester: { id: admin.user.id, name: 'Ada Admin' },
      provider: { id: regional.user.id, name: 'Priya Regional' },
      risk: 'ok',
    });
    expect((await depend(admin.client, scanners, hardware)).status).toBe(201);

    const back = await depend(admin.client, hardware, api);
    expect(back.status).toBe(409);
    expect(back.body.error).toBe(
      'This dependency would close a cycle: Scanner hardware purchase → Dispatch API speed-up → Handheld scanner rollout → Scanner hardware purchase',
    );
    expect(back.body.issues[0].path).toBe('dependencyId');

    expect((await depend(admin.client, api, scanners)).status).toBe(409); // already there
    const self = await depend(admin.client, api, api);
    expect(self.status).toBe(400);
    expect(self.body.issues[0]).toMatchObject({ path: 'dependencyId' });
    const count = await server.db.sql`select count(*)::int as n from initiative_dependencies`;
    expect(count[0]!.n).toBe(2);
  });

  it('lets only one of two concurrent opposite dependencies in', async () => {
    const a = await initiative(admin.client, 'Concurrent A', admin.user.id);
    const b = await initiative(admin.client, 'Concurrent B', regional.user.id);
    const results = await Promise.all([depend(admin.client, a, b), depend(regional.client, b, a)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('validates every reference with the field and the reason', async () => {
    const a = await initiative(admin.client, 'Validated A', admin.user.id);
    const outsider = await signUp(server.origin, 'Outsider');
    const otherOrg = await createOrganization(outsider.client, 'Other Org');
    const foreign = (
      await outsider.client.post(`/api/orgs/${otherOrg.id}/initiatives`, {
        title: 'Foreign',
        ownerId: outsider.user.id,
        team: 'X',
      })
    ).body.initiative.id;
    const response = await depend(admin.client, a, foreign, { providerId: outsider.user.id, neededBy: 'soon' });
    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual([{ path: 'neededBy', message: 'must be a date (YYYY-MM-DD)' }]);
    const references = await depend(admin.client, a, foreign, { providerId: outsider.user.id });
    expect(references.status).toBe(400);
    expect(references.body.issues).toEqual([{ path: 'providerId', message: 'must be a member of this organization' }]);
    const initiativeRef = await depend(admin.client, a, foreign);
    expect(initiativeRef.body.issues).toEqual([
      { path: 'dependencyId', message: 'is not an initiative of this organization' },
    ]);
  });

  it('keeps organizations apart', async () => {
    const outsider = await signUp(server.origin, 'Nosy');
    await createOrganization(outsider.client, 'Nosy Org');
    expect((await outsider.client.get(`/api/orgs/${orgId}/dependencies`)).status).toBe(403);
    expect((await outsider.client.get(`/api/orgs/${orgId}/map`)).status).toBe(403);
    const [edge] = (await admin.client.get(`/api/orgs/${orgId}/dependencies`)).body.dependencies;
    const own = await createOrganization(outsider.client, 'Nosy Second');
    expect((await outsider.client.delete(`/api/orgs/${own.id}/dependencies/${edge.id}`)).status).toBe(404);
  });

  it('changes and removes a dependency', async () => {
    const a = await initiative(admin.client, 'Editable A', admin.user.id);
    const b = await initiative(admin.client, 'Editable B', regional.user.id);
    const { dependency } = (await depend(admin.client, a, b)).body;
    const changed = await admin.client.request('PATCH', `/api/orgs/${orgId}/dependencies/${dependency.id}`, {
      note: 'Needs the API keys',
      neededBy: '2027-03-01',
      requesterId: regional.user.id,
    });
    expect(changed.status).toBe(200);
    expect(changed.body.dependency).toMatchObject({
      note: 'Needs the API keys',
      neededBy: '2027-03-01',
      requester: { id: regional.user.id },
    });
    expect((await admin.client.delete(`/api/orgs/${orgId}/dependencies/${dependency.id}`)).status).toBe(204);
    expect((await admin.client.delete(`/api/orgs/${orgId}/dependencies/${dependency.id}`)).status).toBe(404);
  });
});

describe('the dependency map', () => {
  it('colors an edge by its upstream’s status and by needed-by dates its upstream will miss', async () => {
    const metric = await createMetric(admin.client, orgId, regional.user.id, { name: 'Depots live' });
    // 30% behind plan at mid-year: off track.
    await admin.client.post(`/api/metrics/${metric.id}/readings`, { value: 20, at: planInstant(50) });
    const slipping = await initiative(admin.client, 'Slipping upstream', regional.user.id, {
      startAt: '2026-01-01',
      targetAt: '2026-12-31',
    });
    await admin.client.request('PATCH', `/api/metrics/${metric.id}`, { initiativeIds: [slipping] });
    const onTime = await initiative(admin.client, 'On-time upstream', admin.user.id, {
      startAt: '2026-01-01',
      targetAt: '2026-06-30',
    });
    const waiting = await initiative(admin.client, 'Waiting downstream', admin.user.id);
    const red = (await depend(admin.client, waiting, slipping)).body.dependency;
    const late = (await depend(admin.client, waiting, onTime, { neededBy: '2026-05-01' })).body.dependency;

    const map = (await admin.client.get(`/api/orgs/${orgId}/map`)).body;
    const edges = Object.fromEntries(map.edges.map((e: { id: string }) => [e.id, e]));
    expect(edges[red.id]).toMatchObject({ risk: 'off track' });
    expect(edges[late.id]).toMatchObject({ risk: 'late', daysLate: 60 });
    const node = map.nodes.find((n: { id: string }) => n.id === slipping);
    expect(node).toMatchObject({ status: 'off track', team: 'Team', owner: { name: 'Priya Regional' } });
    expect(new Date(node.forecastAt).getTime()).toBeGreaterThan(Date.parse('2026-12-31'));
  });

  it('carries a slip down a whole chain of four, with the path that carries it', async () => {
    // Issue 19: at-risk propagated one edge only; further downstream stayed "ok".
    const metric = await createMetric(admin.client, orgId, regional.user.id, { name: 'Supplier deliveries' });
    await admin.client.post(`/api/metrics/${metric.id}/readings`, { value: 20, at: planInstant(50) });
    const supplier = await initiative(admin.client, 'Supplier contract', regional.user.id);
    await admin.client.request('PATCH', `/api/metrics/${metric.id}`, { initiativeIds: [supplier] });
    const hardware = await initiative(admin.client, 'Hardware purchase', regional.user.id);
    const scanners = await initiative(admin.client, 'Scanner rollout', regional.user.id);
    const dispatch = await initiative(admin.client, 'Dispatch API', admin.user.id);
    const edgeIds = [
      (await depend(admin.client, hardware, supplier)).body.dependency.id,
      (await depend(admin.client, scanners, hardware)).body.dependency.id,
      (await depend(admin.client, dispatch, scanners)).body.dependency.id,
    ];

    const map = (await admin.client.get(`/api/orgs/${orgId}/map`)).body;
    const risks = Object.fromEntries(map.edges.map((e: { id: string; risk: string }) => [e.id, e.risk]));
    expect(edgeIds.map((id) => risks[id])).toEqual(['off track', 'off track', 'off track']);
    const node = (id: string) => map.nodes.find((n: { id: string }) => n.id === id);
    expect(node(supplier).inheritedRisk).toBeNull();
    expect(node(dispatch).inheritedRisk).toEqual({
      status: 'off track',
      via: [
        { id: supplier, title: 'Supplier contract' },
        { id: hardware, title: 'Hardware purchase' },
        { id: scanners, title: 'Scanner rollout' },
      ],
    });
    // Its own status stays its own: inherited risk is shown beside it, not mixed into it.
    expect(node(dispatch).status).toBe('no data');
    // The documented response shape holds all of it: zod drops the fields a schema does not name.
    expect(DependencyMapSchema.parse(map)).toEqual(map);
    const documented = (await admin.client.get('/api/openapi.json')).body.components.schemas.MapNode;
    expect(documented.required).toContain('inheritedRisk');
  });
});
