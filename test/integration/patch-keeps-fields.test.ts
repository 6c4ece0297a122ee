// A PATCH changes what it names and nothing else (issue 19): `PATCH /api/metrics/:id {name}` used to reset the
// frequency, the threshold, the currency and the initiative links to their defaults, and `{realizedValue}` on an
// initiative cleared its description, key result, plan, dates and links. Property test: random subsets of fields,
// each PATCHed with another valid value; every field named has its new value, every other field its old one.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, signUp, type ApiClient } from '../support/client.ts';
import { YEAR_END, YEAR_START } from '../support/portfolio.ts';
import { addMember } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const iso = (text: string) => new Date(text).toISOString();

let server: TestServer;
let admin: ApiClient;
let orgId: string;
let adminId: string;
let otherId: string;
const initiativeIds: string[] = [];
let keyResultIds: string[] = [];

async function ok<T = any>(response: Promise<{ status: number; body: any }>, status = 200): Promise<T> {
  const answer = await response;
  if (answer.status !== status) throw new Error(`${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body as T;
}

beforeAll(async () => {
  server = await startTestServer();
  const person = await signUp(server.origin, 'Pat Planner');
  admin = person.client;
  adminId = person.user.id;
  const org = await createOrganization(admin, 'Patch Org');
  orgId = org.id;
  otherId = (await addMember(server.origin, admin, orgId, 'Olu Other')).user.id;
  const objective = await ok(
    admin.post(`/api/orgs/${orgId}/objectives`, { title: 'Cheaper fleet', ownerId: adminId }),
    201,
  );
  for (const title of ['Fuel cards', 'Route planner']) {
    const kr = await ok(
      admin.post(`/api/orgs/${orgId}/key-results`, { objectiveId: objective.objective.id, title }),
      201,
    );
    keyResultIds.push(kr.keyResult.id);
    const initiative = await ok(
      admin.post(`/api/orgs/${orgId}/initiatives`, { title, ownerId: adminId, team: 'Fleet' }),
      201,
    );
    initiativeIds.push(initiative.initiative.id);
  }
  keyResultIds = keyResultIds.slice(0, 2);
});
afterAll(async () => {
  await server?.stop();
});

/** Two valid values per field, which go together in any combination. */
type Alternatives = Record<string, [unknown, unknown]>;

/** What GET shows of each field, in the shape the PATCH sends it. */
type Read = (resource: any) => Record<string, unknown>;

async function checkPatches(options: {
  create: () => Promise<string>;
  path: (id: string) => string;
  /** The resource as GET answers it. */
  load: (id: string) => Promise<any>;
  alternatives: Alternatives;
  read: Read;
  /** What a PATCH answers (200 with the resource, or 204). */
  status?: number;
}) {
  const id = await options.create();
  const fields = Object.keys(options.alternatives);
  const current = async () => options.read(await options.load(id));
  // Every field at its first value to start with.
  await ok(
    admin.request(
      'PATCH',
      options.path(id),
      Object.fromEntries(fields.map((field) => [field, options.alternatives[field]![0]])),
    ),
    options.status,
  );
  await fc.assert(
    fc.asyncProperty(fc.subarray(fields, { minLength: 1 }), async (named) => {
      const before = await current();
      const flip = (field: string) => {
        const [a, b] = options.alternatives[field]!;
        return JSON.stringify(before[field]) === JSON.stringify(a) ? b : a;
      };
      const body = Object.fromEntries(named.map((field) => [field, flip(field)]));
      await ok(admin.request('PATCH', options.path(id), body), options.status);
      const after = await current();
      for (const field of fields)
        expect(after[field], `${field} after PATCH ${JSON.stringify(body)}`).toEqual(
          named.includes(field) ? body[field] : before[field],
        );
    }),
    { numRuns: 20 },
  );
}

describe('PATCH keeps every field it does not name', () => {
  it('on a metric', async () => {
    await checkPatches({
      path: (id) => `/api/metrics/${id}`,
      load: async (id) => (await ok(admin.get(`/api/metrics/${id}`))).metric,
      create: async () =>
        (
          await ok(
            admin.post(`/api/orgs/${orgId}/metrics`, {
              name: 'Fuel cost per km',
              unit: 'currency',
              currency: 'EUR',
              direction: 'lower',
              baseline: 0.5,
              target: 0.4,
              startAt: YEAR_START,
              targetAt: YEAR_END,
              ownerId: adminId,
            }),
            201,
          )
        ).metric.id,
      alternatives: {
        name: ['Fuel cost per km', 'Fuel spend per km'],
        description: ['Diesel and AdBlue', ''],
        currency: ['EUR', 'USD'],
        baseline: [0.5, 0.6],
        target: [0.4, 0.3],
        startAt: [iso(YEAR_START), '2025-12-01T00:00:00.000Z'],
        targetAt: [iso(YEAR_END), '2027-01-31T00:00:00.000Z'],
        frequency: ['monthly', 'quarterly'],
        slipThreshold: [0.3, 0.2],
        ownerId: [adminId, otherId],
        initiativeIds: [[initiativeIds[0]], [initiativeIds[0], initiativeIds[1]]],
      },
      read: (metric) => ({
        ...metric,
        startAt: new Date(metric.startAt).toISOString(),
        targetAt: new Date(metric.targetAt).toISOString(),
        ownerId: metric.owner.id,
        initiativeIds: [...metric.initiativeIds].sort((a: string, b: string) =>
          initiativeIds.indexOf(a) < initiativeIds.indexOf(b) ? -1 : 1,
        ),
      }),
    });
  }, 120_000);

  it('on an initiative', async () => {
    await checkPatches({
      path: (id) => `/api/orgs/${orgId}/initiatives/${id}`,
      load: async (id) => (await ok(admin.get(`/api/orgs/${orgId}/initiatives/${id}`))).initiative,
      create: async () =>
        (
          await ok(
            admin.post(`/api/orgs/${orgId}/initiatives`, { title: 'Telematics', ownerId: adminId, team: 'IT' }),
            201,
          )
        ).initiative.id,
      alternatives: {
        title: ['Telematics', 'Telematics rollout'],
        description: ['Boxes in every truck', 'Boxes in half the trucks'],
        ownerId: [adminId, otherId],
        team: ['IT', 'Fleet'],
        keyResultId: [keyResultIds[0], keyResultIds[1]],
        plannedValue: [100_000, 120_000],
        realizedValue: [null, 5_000],
        currency: ['EUR', 'USD'],
        startAt: [iso(YEAR_START), '2025-12-01T00:00:00.000Z'],
        targetAt: [iso(YEAR_END), '2027-01-31T00:00:00.000Z'],
        links: [[{ label: 'Plan', url: 'https://example.com/plan' }], []],
      },
      read: (initiative) => ({
        ...initiative,
        ownerId: initiative.owner.id,
        startAt: initiative.startAt && new Date(initiative.startAt).toISOString(),
        targetAt: initiative.targetAt && new Date(initiative.targetAt).toISOString(),
      }),
    });
  }, 120_000);

  it('on an objective', async () => {
    const load = async (id: string) =>
      (await ok(admin.get(`/api/orgs/${orgId}/objectives`))).objectives.find((o: { id: string }) => o.id === id);
    await checkPatches({
      path: (id) => `/api/orgs/${orgId}/objectives/${id}`,
      load,
      create: async () =>
        (await ok(admin.post(`/api/orgs/${orgId}/objectives`, { title: 'Faster', ownerId: adminId }), 201)).objective
          .id,
      alternatives: {
        title: ['Faster deliveries', 'Faster and cheaper deliveries'],
        description: ['Same-day in the cities', ''],
        ownerId: [adminId, otherId],
      },
      read: (objective) => ({ ...objective, ownerId: objective.owner.id }),
      status: 204,
    });
  }, 120_000);

  it('on a key result', async () => {
    const objectives = await Promise.all(
      ['Greener fleet', 'Safer fleet'].map(
        async (title) =>
          (await ok(admin.post(`/api/orgs/${orgId}/objectives`, { title, ownerId: adminId }), 201)).objective.id,
      ),
    );
    const metric = await ok(
      admin.post(`/api/orgs/${orgId}/metrics`, {
        name: 'Emissions per parcel',
        unit: 'number',
        direction: 'lower',
        baseline: 100,
        target: 80,
        startAt: YEAR_START,
        targetAt: YEAR_END,
        ownerId: adminId,
      }),
      201,
    );
    const load = async (id: string) =>
      (await ok(admin.get(`/api/orgs/${orgId}/objectives`))).keyResults.find((kr: { id: string }) => kr.id === id);
    await checkPatches({
      path: (id) => `/api/orgs/${orgId}/key-results/${id}`,
      load,
      create: async () =>
        (
          await ok(
            admin.post(`/api/orgs/${orgId}/key-results`, { objectiveId: objectives[0], title: 'Electric vans' }),
            201,
          )
        ).keyResult.id,
      alternatives: {
        objectiveId: [objectives[0], objectives[1]],
        title: ['Electric vans', 'Half the vans electric'],
        metricId: [null, metric.metric.id],
      },
      read: (keyResult) => keyResult,
      status: 204,
    });
  }, 120_000);

  it('refuses a PATCH whose merged result is not valid, and changes nothing', async () => {
    const objective = await ok(admin.post(`/api/orgs/${orgId}/objectives`, { title: 'Kept', ownerId: adminId }), 201);
    const path = `/api/orgs/${orgId}/objectives/${objective.objective.id}`;
    const refused = await admin.request('PATCH', path, { title: '   ' });
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([{ path: 'title', message: 'is required' }]);
    const stranger = await admin.request('PATCH', path, { ownerId: crypto.randomUUID() });
    expect(stranger.status).toBe(400);
    const listed = (await ok(admin.get(`/api/orgs/${orgId}/objectives`))).objectives;
    expect(listed.find((o: { id: string }) => o.id === objective.objective.id)).toMatchObject({
      title: 'Kept',
      owner: { id: adminId },
    });
  });

  it('on a review', async () => {
    const nextYear = new Date().getUTCFullYear() + 1;
    await checkPatches({
      path: (id) => `/api/reviews/${id}`,
      load: async (id) => (await ok(admin.get(`/api/reviews/${id}`))).review,
      create: async () => (await ok(admin.post(`/api/orgs/${orgId}/reviews`, { title: 'Weekly' }), 201)).review.id,
      alternatives: {
        title: ['Weekly ops review', 'Weekly ops review, moved'],
        // Next year: a start in the past is refused.
        scheduledAt: [`${nextYear}-12-07T09:00:00.000Z`, `${nextYear}-12-08T14:30:00.000Z`],
      },
      read: (review) => ({ ...review, scheduledAt: new Date(review.scheduledAt).toISOString() }),
    });
  }, 120_000);

  it('on a webhook', async () => {
    const load = async (id: string) =>
      (await ok(admin.get(`/api/orgs/${orgId}/webhooks`))).webhooks.find((hook: { id: string }) => hook.id === id);
    await checkPatches({
      path: (id) => `/api/orgs/${orgId}/webhooks/${id}`,
      load,
      create: async () =>
        (
          await ok(
            admin.post(`/api/orgs/${orgId}/webhooks`, {
              url: 'https://hooks.example.com/a',
              events: ['action.recorded'],
            }),
            201,
          )
        ).webhook.id,
      alternatives: {
        url: ['https://hooks.example.com/a', 'https://hooks.example.com/b'],
        events: [['action.recorded'], ['triage.pivoted', 'review.minutes']],
        active: [true, false],
      },
      read: (webhook) => webhook,
    });
  }, 120_000);
});
