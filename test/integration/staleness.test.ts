// Issue 19: a weekly metric whose latest reading is ten months old reported "on track". Now a metric whose latest
// reading is older than its frequency allows (plus a grace: half a period, at least a day) is `stale` wherever its
// status is shown, triage leaves it alone, and its owner is told once per lapse. Time moves by the test's clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAgenda } from '../../server/domain/board.ts';
import { runNotificationScan } from '../../server/services/notify/scan.ts';
import { createOrganization, signUp, type ApiClient } from '../support/client.ts';
import { createMetric } from '../support/portfolio.ts';
import { addMember, createReview, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const DAY = 86_400_000;

let server: TestServer;
let admin: Person;
let owner: Person;
let orgId: string;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signUp(server.origin, 'Ada Admin');
  orgId = (await createOrganization(admin.client, 'Staleness Org')).id;
  owner = await addMember(server.origin, admin.client, orgId, 'Oscar Owner');
});
afterAll(() => server?.stop());

/** A reading at the test clock's now; 100 is at or ahead of the 2026 plan (on track), 0 far behind (off track). */
async function read(client: ApiClient, metricId: string, value: number) {
  const response = await client.post(`/api/metrics/${metricId}/readings`, {
    value,
    at: server.clock.now.toISOString(),
    source: 'bi',
  });
  expect(response.status).toBe(201);
}

interface Assessment {
  status: string;
  staleSince: string | null;
  latest: { at: string; value: number } | null;
}

const assessmentOf = async (metricId: string) =>
  (await admin.client.get<{ metric: { assessment: Assessment } }>(`/api/metrics/${metricId}`)).body.metric.assessment;

async function portfolioStatuses(metricId: string, initiativeId: string) {
  const portfolio = (await admin.client.get(`/api/orgs/${orgId}/portfolio`)).body as {
    metrics: { id: string; assessment: Assessment }[];
    initiatives: { id: string; status: { delivery: string } }[];
  };
  const map = (await admin.client.get(`/api/orgs/${orgId}/map`)).body as { nodes: { id: string; status: string }[] };
  return {
    metric: portfolio.metrics.find((m) => m.id === metricId)!.assessment.status,
    delivery: portfolio.initiatives.find((i) => i.id === initiativeId)!.status.delivery,
    node: map.nodes.find((n) => n.id === initiativeId)!.status,
  };
}

async function staleNotificationsOf(person: Person, metricId: string) {
  const page = (await person.client.get(`/api/me/notifications?limit=100`)).body as {
    notifications: { kind: string; metricId: string | null; actionItemId: string | null; title: string }[];
  };
  return page.notifications.filter((n) => n.kind === 'metric_stale' && n.metricId === metricId);
}

const scan = () => runNotificationScan(server.db.sql, server.clock.now);

describe('staleness', () => {
  it('shows a weekly metric as stale after a week and a half without readings, and fresh again on a new one', async () => {
    const metric = await createMetric(admin.client, orgId, owner.user.id, { name: 'Depot fuel', frequency: 'weekly' });
    const initiative = await admin.client.post(`/api/orgs/${orgId}/initiatives`, {
      title: 'Eco-driving',
      ownerId: owner.user.id,
      team: 'Ops',
    });
    const initiativeId = initiative.body.initiative.id as string;
    await admin.client.request('PATCH', `/api/metrics/${metric.id}`, { initiativeIds: [initiativeId] });
    await read(owner.client, metric.id, 100);
    const readAt = server.clock.now.getTime();
    expect(await assessmentOf(metric.id)).toMatchObject({ status: 'on track', staleSince: null });

    // Eight days on: late, within the grace.
    server.clock.advance(8 * DAY);
    expect(await assessmentOf(metric.id)).toMatchObject({ status: 'on track', staleSince: null });
    expect(await portfolioStatuses(metric.id, initiativeId)).toEqual({
      metric: 'on track',
      delivery: 'on track',
      node: 'on track',
    });
    expect((await scan()).stale).toBe(0);
    expect(await staleNotificationsOf(owner, metric.id)).toEqual([]);

    // Past 7 + 3.5 days: stale in the metric, the portfolio, its initiative and the map, with the old reading kept.
    server.clock.advance(2.6 * DAY);
    const stale = await assessmentOf(metric.id);
    expect(stale.status).toBe('stale');
    expect(Date.parse(stale.staleSince!)).toBe(Date.parse(stale.latest!.at) + 10.5 * DAY);
    expect(Math.abs(Date.parse(stale.latest!.at) - readAt)).toBeLessThan(1_000);
    expect(stale.latest!.value).toBe(100);
    expect(await portfolioStatuses(metric.id, initiativeId)).toEqual({
      metric: 'stale',
      delivery: 'stale',
      node: 'stale',
    });
    const listed = (await admin.client.get(`/api/orgs/${orgId}/metrics`)).body.metrics as {
      id: string;
      assessment: Assessment;
    }[];
    expect(listed.find((m) => m.id === metric.id)!.assessment.status).toBe('stale');

    // A new reading ends the lapse.
    await read(owner.client, metric.id, 100);
    expect(await assessmentOf(metric.id)).toMatchObject({ status: 'on track', staleSince: null });
    expect(await portfolioStatuses(metric.id, initiativeId)).toEqual({
      metric: 'on track',
      delivery: 'on track',
      node: 'on track',
    });
  });

  it('tells the owner once per lapse, however often the scan runs, and again after the next lapse', async () => {
    const metric = await createMetric(admin.client, orgId, owner.user.id, {
      name: 'Route density',
      frequency: 'daily',
    });
    await read(owner.client, metric.id, 100);
    await scan();
    expect(await staleNotificationsOf(owner, metric.id)).toEqual([]);

    server.clock.advance(2 * DAY + 60_000); // a day and a day's grace
    expect((await assessmentOf(metric.id)).status).toBe('stale');
    await Promise.all([scan(), scan()]);
    await scan();
    const first = await staleNotificationsOf(owner, metric.id);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ actionItemId: null, title: 'Stale: “Route density”' });
    expect(await staleNotificationsOf(admin, metric.id)).toEqual([]); // the owner's, not the creator's

    // Still the same lapse days later: no second notice.
    server.clock.advance(5 * DAY);
    await scan();
    expect(await staleNotificationsOf(owner, metric.id)).toHaveLength(1);

    // A new reading ends it; the next lapse is told again, once.
    await read(owner.client, metric.id, 100);
    await scan();
    expect(await staleNotificationsOf(owner, metric.id)).toHaveLength(1);
    server.clock.advance(2 * DAY + 60_000);
    await scan();
    await scan();
    expect(await staleNotificationsOf(owner, metric.id)).toHaveLength(2);
  });

  it('does not pivot a review on a stale metric, shows it stale in the room, and pivots on a fresh bad reading', async () => {
    const metric = await createMetric(admin.client, orgId, owner.user.id, {
      name: 'Parcel damage',
      frequency: 'weekly',
    });
    await read(owner.client, metric.id, 0); // far behind plan: off track
    expect((await assessmentOf(metric.id)).status).toBe('off track');
    server.clock.advance(11 * DAY);
    expect((await assessmentOf(metric.id)).status).toBe('stale');

    const review = await createReview(admin.client, orgId, { metricIds: [metric.id] });
    const room = (await admin.client.get(`/api/reviews/${review.id}`)).body.review as {
      metrics: { id: string; status: string }[];
    };
    expect(room.metrics).toEqual([expect.objectContaining({ id: metric.id, status: 'stale' })]);
    expect((await admin.client.post(`/api/reviews/${review.id}/start`)).status).toBe(200);
    const triageEvents = async () =>
      server.db.sql<{ kind: string }[]>`
        select kind from review_events where review_id = ${review.id} and kind like 'triage.%' order by id
      `;
    expect(await triageEvents()).toEqual([]);
    let agenda: ReturnType<typeof readAgenda> = [];
    await server.rooms.edit(review.id, (doc) => {
      agenda = readAgenda(doc);
    });
    expect(agenda.filter((item) => item.triage !== null)).toEqual([]);

    // A fresh reading, still far behind: now it pivots.
    await read(owner.client, metric.id, 0);
    const deadline = Date.now() + 5_000;
    while ((await triageEvents()).length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await triageEvents()).map((event) => event.kind)).toEqual(['triage.pivoted']);
  });
});
