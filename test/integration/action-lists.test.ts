// Lists of action items: an organization's (filters, overdue first, paging, CSV) and a person's own, kept apart
// between organizations.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarDate } from '../../server/domain/action-items.ts';
import { createOrganization, PASSWORD, signUp, type ApiClient } from '../support/client.ts';
import { addMember, createReview, reviewFixture, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
let sofia: Person;
let outsider: Person;
let otherOrg: { id: string; name: string };
let initiativeId: string;
const ids: Record<'fuel' | 'formula' | 'quoted' | 'dropped' | 'done' | 'elsewhere', string> = {
  fuel: crypto.randomUUID(),
  formula: crypto.randomUUID(),
  quoted: crypto.randomUUID(),
  dropped: crypto.randomUUID(),
  done: crypto.randomUUID(),
  elsewhere: crypto.randomUUID(),
};

const inDays = (days: number) => calendarDate(new Date(server.clock.now.getTime() + days * 86_400_000));
const QUOTED_TITLE = 'Plan, "quoted"\nnext line';
const FORMULA_TITLE = '=HYPERLINK("http://evil.example","click")';

async function record(client: ApiClient, reviewId: string, body: Record<string, unknown>) {
  const response = await client.post(`/api/reviews/${reviewId}/actions`, body);
  if (response.status !== 201) throw new Error(`record failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.action as { id: string; version: number };
}

async function fetchRaw(client: ApiClient | null, path: string) {
  return fetch(`${server.origin}${path}`, {
    headers: { origin: server.origin, ...(client?.cookie ? { cookie: client.cookie } : {}) },
  });
}

const titles = (body: { actions: { title: string }[] }) => body.actions.map((a) => a.title);

beforeAll(async () => {
  server = await startTestServer();
  fixture = await reviewFixture(server.origin);
  const { facilitator, org, review, metric } = fixture;
  sofia = await addMember(server.origin, facilitator.client, org.id, 'Sofia Owner');
  const initiative = await facilitator.client.post(`/api/orgs/${org.id}/initiatives`, {
    title: 'Fleet renewal',
    ownerId: sofia.user.id,
    team: 'Fleet',
  });
  initiativeId = initiative.body.initiative.id;

  await record(facilitator.client, review.id, {
    id: ids.fuel,
    title: 'Renegotiate the fuel contract',
    ownerId: sofia.user.id,
    dueDate: inDays(2),
    metricId: metric.id,
    initiativeId,
    expectedEffect: { maxSlip: 0.05, by: inDays(60) },
  });
  await record(facilitator.client, review.id, {
    id: ids.formula,
    title: FORMULA_TITLE,
    ownerId: facilitator.user.id,
    dueDate: inDays(5),
  });
  await record(facilitator.client, review.id, {
    id: ids.quoted,
    title: QUOTED_TITLE,
    ownerId: sofia.user.id,
    dueDate: inDays(30),
  });
  await record(facilitator.client, review.id, {
    id: ids.dropped,
    title: 'Try 100% electric vans',
    ownerId: sofia.user.id,
    dueDate: inDays(3),
  });
  await record(facilitator.client, review.id, {
    id: ids.done,
    title: 'Publish the route plan',
    ownerId: sofia.user.id,
    dueDate: inDays(1),
  });
  expect((await sofia.client.post(`/api/actions/${ids.done}/commit`, { version: 1 })).status).toBe(200);
  expect((await sofia.client.request('PATCH', `/api/actions/${ids.done}`, { version: 2, status: 'done' })).status).toBe(
    200,
  );
  expect(
    (
      await sofia.client.request('PATCH', `/api/actions/${ids.dropped}`, {
        version: 1,
        status: 'dropped',
        reason: 'Too expensive',
      })
    ).status,
  ).toBe(200);

  // Another organization, where Sofia is a member too and owns one item.
  outsider = await signUp(server.origin, 'Olga Outsider');
  otherOrg = await createOrganization(outsider.client, 'Other Org');
  await addMemberOf(outsider.client, otherOrg.id, sofia);
  const otherReview = await createReview(outsider.client, otherOrg.id, { title: 'Other weekly' });
  await record(outsider.client, otherReview.id, {
    id: ids.elsewhere,
    title: 'Elsewhere: hire two drivers',
    ownerId: sofia.user.id,
    dueDate: inDays(12),
  });

  // Ten days later: the items due in 2 and 5 days are overdue; done and dropped ones never are.
  server.clock.advance(10 * 86_400_000);
});
afterAll(() => server?.stop());

/** Makes an existing user a member through an invite link. */
async function addMemberOf(admin: ApiClient, orgId: string, person: Person) {
  const invite = await admin.post(`/api/orgs/${orgId}/invites`, {});
  const token = new URL(invite.body.url).pathname.split('/').pop()!;
  expect((await person.client.post(`/api/invites/${token}/accept`)).status).toBe(200);
}

describe("an organization's action list", () => {
  it('shows overdue items first, then by due date, with the names of their review, initiative and metric', async () => {
    const response = await sofia.client.get(`/api/orgs/${fixture.org.id}/actions`);
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(5);
    expect(response.body.actions.map((a: { id: string }) => a.id)).toEqual([
      ids.fuel,
      ids.formula,
      ids.done,
      ids.dropped,
      ids.quoted,
    ]);
    expect(response.body.actions.map((a: { overdue: boolean }) => a.overdue)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(response.body.actions[0]).toMatchObject({
      title: 'Renegotiate the fuel contract',
      owner: { name: 'Sofia Owner' },
      reviewTitle: 'Weekly ops review',
      initiativeTitle: 'Fleet renewal',
      metricName: 'Fuel cost savings',
      expectedEffect: { maxSlip: 0.05 },
      verification: null,
    });
    expect(response.body.actions[1]).toMatchObject({ initiativeTitle: null, metricName: null });

    const byDue = await sofia.client.get(`/api/orgs/${fixture.org.id}/actions?sort=due`);
    expect(byDue.body.actions.map((a: { id: string }) => a.id)).toEqual([
      ids.done,
      ids.fuel,
      ids.dropped,
      ids.formula,
      ids.quoted,
    ]);
    const latestFirst = await sofia.client.get(`/api/orgs/${fixture.org.id}/actions?sort=-due`);
    expect(latestFirst.body.actions[0].id).toBe(ids.quoted);
  });

  it('filters by status, owner, overdue, initiative, metric, review and text', async () => {
    const base = `/api/orgs/${fixture.org.id}/actions`;
    const get = async (query: string) => (await sofia.client.get(`${base}?${query}`)).body;

    expect(titles(await get('status=done'))).toEqual(['Publish the route plan']);
    const open = await get('status=proposed,committed');
    expect(open.total).toBe(3);
    expect((await get('status=proposed&status=committed')).total).toBe(3);
    expect((await get('status=done,dropped')).total).toBe(2);
    expect((await get(`ownerId=${fixture.facilitator.user.id}`)).actions.map((a: { id: string }) => a.id)).toEqual([
      ids.formula,
    ]);
    expect((await get('overdue=true')).actions.map((a: { id: string }) => a.id)).toEqual([ids.fuel, ids.formula]);
    expect((await get('overdue=false')).total).toBe(5);
    expect(titles(await get(`initiativeId=${initiativeId}`))).toEqual(['Renegotiate the fuel contract']);
    expect(titles(await get(`metricId=${fixture.metric.id}`))).toEqual(['Renegotiate the fuel contract']);
    expect((await get(`reviewId=${fixture.review.id}`)).total).toBe(5);
    expect((await get(`reviewId=${crypto.randomUUID()}`)).total).toBe(0);
    expect(titles(await get('q=FUEL'))).toEqual(['Renegotiate the fuel contract']);
    expect(titles(await get('q=100%25'))).toEqual(['Try 100% electric vans']);
    expect((await get('q=sofia')).total).toBe(4);
    expect((await get(`q=fuel&ownerId=${fixture.facilitator.user.id}`)).total).toBe(0);
  });

  it('answers a bad filter with the field and the reason', async () => {
    const base = `/api/orgs/${fixture.org.id}/actions`;
    const bad = await sofia.client.get(`${base}?status=open&ownerId=me&overdue=yes&limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'query.limit',
      'query.overdue',
      'query.ownerId',
      'query.status.0',
    ]);
    expect(bad.body.issues.find((i: { path: string }) => i.path === 'query.ownerId').message).toBe(
      'must be a member id (UUID)',
    );
    expect((await sofia.client.get(`${base}?limit=500`)).status).toBe(400);
    expect((await sofia.client.get(`${base}?sort=title`)).status).toBe(400);
    expect((await sofia.client.get(`/api/orgs/not-an-id/actions`)).status).toBe(400);
  });

  it('pages with a total that counts every match', async () => {
    const base = `/api/orgs/${fixture.org.id}/actions`;
    const first = await sofia.client.get(`${base}?limit=2`);
    expect(first.body).toMatchObject({ total: 5 });
    expect(first.body.actions.map((a: { id: string }) => a.id)).toEqual([ids.fuel, ids.formula]);
    const second = await sofia.client.get(`${base}?limit=2&offset=2`);
    expect(second.body.actions.map((a: { id: string }) => a.id)).toEqual([ids.done, ids.dropped]);
    const last = await sofia.client.get(`${base}?limit=2&offset=4`);
    expect(last.body.actions.map((a: { id: string }) => a.id)).toEqual([ids.quoted]);
    const beyond = await sofia.client.get(`${base}?limit=2&offset=10`);
    expect(beyond.body).toEqual({ actions: [], total: 5 });
    const filtered = await sofia.client.get(`${base}?status=done,dropped&limit=1`);
    expect(filtered.body.total).toBe(2);
    expect(filtered.body.actions).toHaveLength(1);
  });

  it('keeps organizations apart', async () => {
    expect((await outsider.client.get(`/api/orgs/${fixture.org.id}/actions`)).status).toBe(403);
    expect((await fetchRaw(outsider.client, `/api/orgs/${fixture.org.id}/actions.csv`)).status).toBe(403);
    const anonymous = await fetchRaw(null, `/api/orgs/${fixture.org.id}/actions`);
    expect(anonymous.status).toBe(401);
    expect((await fetchRaw(null, `/api/orgs/${fixture.org.id}/actions.csv`)).status).toBe(401);

    // Sofia belongs to both; each list shows only its own organization's items.
    const other = await sofia.client.get(`/api/orgs/${otherOrg.id}/actions`);
    expect(other.body.actions.map((a: { id: string }) => a.id)).toEqual([ids.elsewhere]);
    const mine = await sofia.client.get(`/api/orgs/${fixture.org.id}/actions?ownerId=${sofia.user.id}`);
    expect(mine.body.actions.map((a: { id: string }) => a.id)).not.toContain(ids.elsewhere);
    // Filtering by another organization's review or metric finds nothing.
    const foreign = await outsider.client.get(`/api/orgs/${otherOrg.id}/actions?reviewId=${fixture.review.id}`);
    expect(foreign.body).toEqual({ actions: [], total: 0 });
  });
});

describe('the CSV export', () => {
  it('is a CSV file with a header row, quoted cells and formulas defused', async () => {
    const response = await fetchRaw(sofia.client, `/api/orgs/${fixture.org.id}/actions.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="lastmile-actions-${calendarDate(server.clock.now)}.csv"`,
    );
    const text = await response.text();
    expect(text).toContain('\r\n');
    expect(text).toContain('"Plan, ""quoted""\nnext line"');
    const rows = parse(text, { bom: true }) as string[][];
    expect(rows[0]).toEqual([
      'Title',
      'Status',
      'Owner',
      'Due date',
      'Overdue',
      'Proposed due date',
      'Review',
      'Initiative',
      'Metric',
      'Expected effect',
      'Verification',
      'Drop reason',
      'Recorded at (UTC)',
      'Committed at (UTC)',
      'Id',
    ]);
    expect(rows).toHaveLength(6);
    const byId = new Map(rows.slice(1).map((row) => [row[14], row]));
    expect(byId.get(ids.formula)![0]).toBe(`'${FORMULA_TITLE}`);
    expect(byId.get(ids.quoted)![0]).toBe(QUOTED_TITLE);
    expect(byId.get(ids.fuel)!.slice(0, 11)).toEqual([
      'Renegotiate the fuel contract',
      'proposed',
      'Sofia Owner',
      inDays(-8),
      'yes',
      '',
      'Weekly ops review',
      'Fleet renewal',
      'Fuel cost savings',
      `Fuel cost savings within 5% of plan by ${inDays(50)}`,
      'pending',
    ]);
    expect(byId.get(ids.dropped)![11]).toBe('Too expensive');
    // The first data row is the first overdue item, as on the page.
    expect(rows[1]![14]).toBe(ids.fuel);
  });

  it('carries the same filters as the list', async () => {
    const response = await fetchRaw(sofia.client, `/api/orgs/${fixture.org.id}/actions.csv?status=done`);
    const rows = parse(await response.text(), { bom: true }) as string[][];
    expect(rows.map((row) => row[0])).toEqual(['Title', 'Publish the route plan']);
    const empty = await fetchRaw(sofia.client, `/api/orgs/${fixture.org.id}/actions.csv?q=nothing-like-this`);
    expect(parse(await empty.text(), { bom: true })).toHaveLength(1);
    const bad = await fetchRaw(sofia.client, `/api/orgs/${fixture.org.id}/actions.csv?status=maybe`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).issues[0].path).toBe('query.status.0');
  });
});

describe('my commitments', () => {
  it('lists only what I own, open ones by default, overdue first, across my organizations', async () => {
    const response = await sofia.client.get('/api/me/actions');
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(3);
    expect(
      response.body.actions.map((a: { id: string; overdue: boolean; dueThisWeek: boolean }) => [
        a.id,
        a.overdue,
        a.dueThisWeek,
      ]),
    ).toEqual([
      [ids.fuel, true, false],
      [ids.elsewhere, false, true],
      [ids.quoted, false, false],
    ]);
    expect(response.body.actions[1]).toMatchObject({
      organization: { id: otherOrg.id, name: 'Other Org' },
      reviewTitle: 'Other weekly',
      owner: { id: sofia.user.id },
    });
    expect(response.body.actions[0].organization.name).toBe('Review Org');

    const closed = await sofia.client.get('/api/me/actions?status=done,dropped');
    expect(closed.body.actions.map((a: { id: string }) => a.id).sort()).toEqual([ids.done, ids.dropped].sort());
    const facilitators = await fixture.facilitator.client.get('/api/me/actions');
    expect(facilitators.body.actions.map((a: { id: string }) => a.id)).toEqual([ids.formula]);
    expect((await outsider.client.get('/api/me/actions')).body).toEqual({ actions: [], total: 0 });
    expect((await sofia.client.get('/api/me/actions?status=late')).status).toBe(400);
    expect((await fetchRaw(null, '/api/me/actions')).status).toBe(401);
  });

  it('no longer lists items of an organization I left', async () => {
    const left = await sofia.client.delete(`/api/orgs/${otherOrg.id}/members/${sofia.user.id}`);
    expect(left.status).toBe(204);
    const response = await sofia.client.get('/api/me/actions');
    expect(response.body.actions.map((a: { id: string }) => a.id)).toEqual([ids.fuel, ids.quoted]);
  });
});

describe('overdue in the database and in the domain rule', () => {
  it('agree at the moment a due date passes in UTC−12', async () => {
    // The quoted item is due in 20 days now; it turns overdue at noon UTC the day after (midnight in UTC−12).
    const dueDate = inDays(20);
    const turn = Date.parse(`${dueDate}T12:00:00Z`) + 86_400_000;
    const check = async () => {
      const flagged = (await sofia.client.get(`/api/orgs/${fixture.org.id}/actions?q=quoted`)).body.actions[0]
        .overdue as boolean;
      const filtered = (await sofia.client.get(`/api/orgs/${fixture.org.id}/actions?overdue=true`)).body.actions.some(
        (a: { id: string }) => a.id === ids.quoted,
      ) as boolean;
      return { flagged, filtered };
    };
    server.clock.advance(turn - 60_000 - server.clock.now.getTime());
    // Weeks later: the session has expired; sign in again.
    sofia.client.cookie = undefined;
    const login = await sofia.client.post('/api/auth/login', { email: sofia.user.email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(await check()).toEqual({ flagged: false, filtered: false });
    server.clock.advance(120_000);
    expect(await check()).toEqual({ flagged: true, filtered: true });
  });
});
