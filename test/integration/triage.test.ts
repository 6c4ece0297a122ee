// A data source pushes a bad number during a live review: every client's agenda pivots to triage by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAgenda, type AgendaItemView } from '../../server/domain/board.ts';
import { ApiClient, createOrganization, signUp } from '../support/client.ts';
import { createMetric, planInstant } from '../support/portfolio.ts';
import { addMember, createReview, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';

let server: TestServer;
let facilitator: Person;
let owner: Person;
let orgId: string;
let dataSource: ApiClient;
const clients: BoardClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  facilitator = await signUp(server.origin, 'Fran Facilitator');
  orgId = (await createOrganization(facilitator.client, 'Triage Org')).id;
  owner = await addMember(server.origin, facilitator.client, orgId, 'Sofia Finance');
  const token = await facilitator.client.post(`/api/orgs/${orgId}/tokens`, { name: 'BI' });
  dataSource = new ApiClient(server.origin, { sendOrigin: false, bearer: token.body.secret });
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.stop();
});

function connect(person: Person, reviewId: string) {
  const client = connectBoard(server.origin, person.client, reviewId);
  clients.push(client);
  return client;
}

async function reading(metricId: string, value: number, progress: number) {
  const response = await dataSource.post(`/api/metrics/${metricId}/readings`, {
    value,
    at: planInstant(progress),
    source: 'bi',
  });
  expect([200, 201]).toContain(response.status);
}

/** The review's triage events as its history shows them to a member. */
async function eventsOf(reviewId: string) {
  const response = await facilitator.client.get<{ events: { kind: string; actor: { id: string } | null }[] }>(
    `/api/reviews/${reviewId}/history/events?limit=1000`,
  );
  expect(response.status).toBe(200);
  return response.body.events
    .filter((event) => event.kind.startsWith('triage.'))
    .map((event) => ({ kind: event.kind, actorId: event.actor?.id ?? null }));
}

const triageItem = (client: BoardClient, metricId: string): AgendaItemView | undefined =>
  readAgenda(client.doc).find((item) => item.metricId === metricId && item.kind === 'triage');

/** A metric measuring a finance initiative that IT's work depends on, on plan so far. */
async function scenario(name: string) {
  const metric = await createMetric(facilitator.client, orgId, owner.user.id, { name });
  await reading(metric.id, 50, 50);
  const savings = await facilitator.client.post(`/api/orgs/${orgId}/initiatives`, {
    title: `${name}: savings programme`,
    ownerId: owner.user.id,
    team: 'Finance',
    plannedValue: 1_000_000,
    realizedValue: 250_000,
    currency: 'EUR',
    startAt: '2026-01-01',
    targetAt: '2026-12-31',
  });
  await facilitator.client.request('PATCH', `/api/metrics/${metric.id}`, {
    initiativeIds: [savings.body.initiative.id],
  });
  const routing = await facilitator.client.post(`/api/orgs/${orgId}/initiatives`, {
    title: `${name}: route optimisation`,
    ownerId: facilitator.user.id,
    team: 'IT',
  });
  await facilitator.client.post(`/api/orgs/${orgId}/dependencies`, {
    dependentId: routing.body.initiative.id,
    dependencyId: savings.body.initiative.id,
  });
  const other = await createMetric(facilitator.client, orgId, facilitator.user.id, { name: `Active depots (${name})` });
  await reading(other.id, 50, 50);
  const review = await createReview(facilitator.client, orgId, { metricIds: [other.id, metric.id] });
  return { metric, review };
}

describe('triage pivots', () => {
  it('pivots every client’s agenda when a reading pushes a metric past its threshold, once', async () => {
    const { metric, review } = await scenario('Fuel savings');
    expect((await facilitator.client.post(`/api/reviews/${review.id}/start`)).status).toBe(200);
    const [a, b] = [connect(facilitator, review.id), connect(owner, review.id)];
    await Promise.all([a.synced, b.synced]);
    expect(triageItem(a, metric.id)).toBeUndefined();
    const [current] = readAgenda(a.doc);

    // 35% behind plan at 55% of the year, threshold 15%.
    await reading(metric.id, 20, 55);
    for (const client of [a, b])
      await eventually(() => triageItem(client, metric.id) !== undefined, 5_000, 'the pivot to reach every client');
    const item = triageItem(b, metric.id)!;
    expect(item.triage).toMatchObject({
      state: 'active',
      why: 'Fuel savings 35% behind plan (threshold 15%)',
      moneyAtRisk: 750_000,
      currency: 'EUR',
    });
    expect(item.triage!.impact.map((entry) => [entry.title, entry.owner, entry.direct])).toEqual([
      ['Fuel savings: savings programme', 'Sofia Finance', true],
      ['Fuel savings: route optimisation', 'Fran Facilitator', false],
    ]);
    expect(item.notes).toContain('What happened:');
    // The item being discussed stays first; the triage item comes right after it.
    expect(
      readAgenda(a.doc)
        .map((entry) => entry.id)
        .slice(0, 2),
    ).toEqual([current!.id, item.id]);

    const updates = async () =>
      (await server.db.sql`select count(*)::int as n from board_updates where review_id = ${review.id}`)[0]!.n;
    await a.commits.whenCovered();
    const before = await updates();
    await reading(metric.id, 20, 55); // the same reading again: a duplicate
    await reading(metric.id, 19, 56); // a worse one: still the same pivot
    await eventually(
      () => Math.abs((triageItem(a, metric.id)?.triage?.slip ?? 0) - 0.37) < 0.005,
      5_000,
      'fresh numbers',
    );
    expect((await eventsOf(review.id)).map((event) => event.kind)).toEqual(['triage.pivoted']);
    expect(await updates()).toBeGreaterThan(before); // the refresh of its numbers, nothing else
    expect(readAgenda(a.doc).filter((entry) => entry.kind === 'triage')).toHaveLength(1);
    const rows = await server.db.sql<{ authorId: string | null }[]>`
      select author_id from board_updates where review_id = ${review.id} order by seq desc limit 1
    `;
    expect(rows[0]!.authorId).toBeNull(); // the server's own edit

    // Recovery is shown, not hidden; a new crossing pivots again.
    await reading(metric.id, 60, 60);
    await eventually(() => triageItem(a, metric.id)?.triage?.state === 'recovered', 5_000, 'recovery');
    await reading(metric.id, 30, 65);
    await eventually(() => triageItem(a, metric.id)?.triage?.state === 'active', 5_000, 'a second pivot');
    // The room sees the pivot as soon as it is applied; its event is logged once the board edit is committed.
    await eventually(async () => (await eventsOf(review.id)).length === 3, 5_000, 'the second pivot logged');
    expect((await eventsOf(review.id)).map((event) => event.kind)).toEqual([
      'triage.pivoted',
      'triage.recovered',
      'triage.pivoted',
    ]);
  });

  it('runs again when the reading that caused a pivot is deleted: the pivot shows recovered', async () => {
    const { metric, review } = await scenario('Parcel savings');
    expect((await facilitator.client.post(`/api/reviews/${review.id}/start`)).status).toBe(200);
    const board = connect(facilitator, review.id);
    await board.synced;
    const bad = await dataSource.post(`/api/metrics/${metric.id}/readings`, {
      value: 20,
      at: planInstant(55),
      source: 'bi',
    });
    expect(bad.status).toBe(201);
    await eventually(() => triageItem(board, metric.id)?.triage?.state === 'active', 5_000, 'the pivot');

    // Issue 19: a mistyped reading is deleted by the metric's owner; triage runs as after a new reading.
    const deleted = await owner.client.request('DELETE', `/api/metrics/${metric.id}/readings/${bad.body.reading.id}`);
    expect(deleted.status).toBe(204);
    // Once the server has settled, the run the deletion set off is done: the recovery is in the log already.
    await server.settled();
    expect((await eventsOf(review.id)).map((event) => event.kind)).toEqual(['triage.pivoted', 'triage.recovered']);
    await eventually(() => triageItem(board, metric.id)?.triage?.state === 'recovered', 5_000, 'recovery');
  });

  it('pivots when a review goes live with a metric already off track, even with no one connected', async () => {
    const { metric, review } = await scenario('Depot costs');
    await reading(metric.id, 10, 60);
    expect((await facilitator.client.post(`/api/reviews/${review.id}/start`)).status).toBe(200);
    expect((await eventsOf(review.id)).map((event) => event.kind)).toEqual(['triage.pivoted']);
    const late = connect(owner, review.id);
    await late.synced;
    expect(triageItem(late, metric.id)?.triage?.why).toBe('Depot costs 50% behind plan (threshold 15%)');

    // Only the facilitator dismisses; a dismissed pivot stays dismissed on the next bad reading.
    const itemId = triageItem(late, metric.id)!.id;
    const path = `/api/reviews/${review.id}/items/${itemId}/dismiss-pivot`;
    expect((await owner.client.post(path)).status).toBe(403);
    expect((await facilitator.client.post(path)).status).toBe(204);
    expect((await facilitator.client.post(path)).status).toBe(404);
    await eventually(() => triageItem(late, metric.id)?.triage?.state === 'dismissed', 5_000, 'the dismissal');
    await reading(metric.id, 5, 62);
    await server.settled();
    expect(triageItem(late, metric.id)?.triage?.state).toBe('dismissed');
    const events = await eventsOf(review.id);
    expect(events.map((event) => [event.kind, event.actorId])).toEqual([
      ['triage.pivoted', null],
      ['triage.dismissed', facilitator.user.id],
    ]);
  });
});
