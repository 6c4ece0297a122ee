import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGANIZATION, DEMO_PASSWORD, DEMO_PEOPLE, seedDemo } from '../../db/seed/demo.ts';
import { readAgenda } from '../../server/domain/board.ts';
import { ApiClient, signUp } from '../support/client.ts';
import { connectBoard } from '../support/sync.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe('demo seed', () => {
  it('seeds the demo organization into an empty database, once', async () => {
    const first = await seedDemo(server.db.sql);
    expect(first.seeded).toBe(true);
    expect(first.logins.map((login) => login.email)).toEqual(DEMO_PEOPLE.map((person) => person.email));
    const second = await seedDemo(server.db.sql);
    expect(second.seeded).toBe(false);
    const orgs = await server.db.sql`select id from organizations where name = ${DEMO_ORGANIZATION}`;
    expect(orgs).toHaveLength(1);
  });

  it('leaves a database with other accounts alone and offers no demo logins for it', async () => {
    const other = await startTestServer();
    try {
      await signUp(other.origin, 'Someone Else');
      const result = await seedDemo(other.db.sql);
      expect(result).toEqual({ seeded: false, logins: [] });
      expect(await other.db.sql`select id from organizations where name = ${DEMO_ORGANIZATION}`).toHaveLength(0);
    } finally {
      await other.stop();
    }
  });

  it('tells the demo story: the VP sees the objective, the three initiatives and fuel savings 18% behind plan', async () => {
    const vp = new ApiClient(server.origin);
    expect(
      (await vp.post('/api/auth/login', { email: 'vp.ops@northwind.example', password: DEMO_PASSWORD })).status,
    ).toBe(200);
    const [org] = (await vp.get('/api/me')).body.organizations;
    expect(org).toMatchObject({ name: DEMO_ORGANIZATION, role: 'admin' });

    const { body } = await vp.get(`/api/orgs/${org.id}/portfolio`);
    expect(body.objectives.map((o: { title: string }) => o.title)).toEqual(['Cut last-mile delivery time 20%']);
    expect(body.keyResults).toHaveLength(4);
    const initiatives = Object.fromEntries(body.initiatives.map((i: { title: string }) => [i.title, i]));
    expect(initiatives['Dispatch API speed-up']).toMatchObject({ team: 'IT', owner: { name: 'Jonas Lindqvist' } });
    expect(initiatives['Handheld scanner rollout']).toMatchObject({
      team: 'Regional operations',
      owner: { name: 'Priya Raman' },
    });
    expect(initiatives['Fleet fuel cost savings']).toMatchObject({
      team: 'Finance',
      status: { delivery: 'off track', value: 'off track' },
    });
    expect(initiatives['Fleet fuel cost savings'].status.moneyAtRisk).toBeGreaterThan(0);

    const fuel = body.metrics.find((m: { name: string }) => m.name === 'Fleet fuel cost savings');
    expect(fuel.assessment.status).toBe('off track');
    expect(fuel.assessment.slip).toBeCloseTo(0.18, 3);
    expect(fuel.history.length).toBe(20);
    const statuses = body.metrics.map((m: { assessment: { status: string } }) => m.assessment.status);
    expect(statuses).toContain('on track');

    // IT depends on the regions' scanner rollout; finance's savings depend on IT's dispatch API.
    const map = (await vp.get(`/api/orgs/${org.id}/map`)).body;
    const title = new Map(map.nodes.map((n: { id: string; title: string }) => [n.id, n.title]));
    const chain = map.edges.map((e: { dependentId: string; dependencyId: string }) => [
      title.get(e.dependentId),
      title.get(e.dependencyId),
    ]);
    expect(chain.sort()).toEqual([
      ['Dispatch API speed-up', 'Handheld scanner rollout'],
      ['Fleet fuel cost savings', 'Dispatch API speed-up'],
    ]);
    const itOnScanners = map.edges.find(
      (e: { dependentId: string }) => title.get(e.dependentId) === 'Dispatch API speed-up',
    );
    expect(itOnScanners).toMatchObject({ requester: { name: 'Jonas Lindqvist' }, provider: { name: 'Priya Raman' } });
  });

  it('has this week’s review live, its agenda led by the off-track fuel savings, the VP facilitating', async () => {
    const vp = new ApiClient(server.origin);
    await vp.post('/api/auth/login', { email: 'vp.ops@northwind.example', password: DEMO_PASSWORD });
    const [org] = (await vp.get('/api/me')).body.organizations;
    const { reviews } = (await vp.get(`/api/orgs/${org.id}/reviews`)).body;
    expect(reviews.map((r: { status: string }) => r.status).sort()).toEqual(['closed', 'live']);
    const live = reviews.find((r: { status: string }) => r.status === 'live');
    expect(live).toMatchObject({ series: { title: 'Weekly ops review' } });
    const { review } = (await vp.get(`/api/reviews/${live.id}`)).body;
    expect(review.me).toEqual({ role: 'facilitator', readOnly: false, canFacilitate: true });
    expect(review.metrics).toHaveLength(4);
    expect(review.initiatives).toHaveLength(3);

    const board = connectBoard(server.origin, vp, review.id);
    await board.synced;
    const agenda = readAgenda(board.doc);
    board.destroy();
    expect(agenda).toHaveLength(8);
    // Last week's open commitments come back at the end, the overdue one first.
    const check = agenda.pop()!;
    expect(check.kind).toBe('commitments-check');
    expect(check.commitments.map((entry) => [entry.title, entry.ownerName, entry.overdue, entry.status])).toEqual([
      ['Renegotiate the fuel card contract', 'Sofia Brandt', true, 'committed'],
      ['Eco-driving training for the north region drivers', 'Priya Raman', false, 'committed'],
    ]);
    expect(agenda.slice(0, 2).map((item) => item.title)).toEqual([
      'Fleet fuel cost savings',
      'Fleet fuel cost savings',
    ]);
    expect(agenda[0]!.metricId).not.toBeNull();
    expect(agenda[1]!.initiativeId).not.toBeNull();
    // Statuses in the agenda agree with what the API computes for the same scope.
    const rank = { 'off track': 0, 'at risk': 1, 'no data': 2, 'on track': 3 } as const;
    const statusOf = new Map<string, keyof typeof rank>(
      [...review.metrics, ...review.initiatives].map((entry: { id: string; status: keyof typeof rank }) => [
        entry.id,
        entry.status,
      ]),
    );
    const ranks = agenda.map((item) => rank[statusOf.get((item.metricId ?? item.initiativeId)!)!]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });
});

describe('demo action items', () => {
  it('has last week’s review closed with its decisions owned, committed, one done and one closed by the numbers', async () => {
    const [row] = await server.db.sql`select id from organizations where name = ${DEMO_ORGANIZATION}`;
    const items = await server.db.sql<
      { title: string; status: string; expectedBy: string | null; committedAt: Date }[]
    >`
      select a.title, a.status, a.expected_by::text as expected_by, a.committed_at
      from action_items a
      join reviews r on r.id = a.review_id
      where a.organization_id = ${row!.id} and r.status = 'closed'
      order by a.title
    `;
    expect(items.map((item) => [item.title, item.status])).toEqual([
      ['Eco-driving training for the north region drivers', 'committed'],
      ['Load-test the dispatch API before the holiday peak', 'done'],
      ['Renegotiate the fuel card contract', 'committed'],
    ]);
    expect(items.every((item) => item.committedAt instanceof Date)).toBe(true);
    expect(items[0]!.expectedBy).not.toBeNull();
  });
});

describe('demo past review history', () => {
  it('replays people typing, a pivot mid-meeting and three decisions committed, in time order', async () => {
    const [review] = await server.db.sql<{ id: string; startedAt: Date; closedAt: Date }[]>`
      select r.id, r.started_at, r.closed_at from reviews r
      join organizations o on o.id = r.organization_id
      where o.name = ${DEMO_ORGANIZATION} and r.status = 'closed'
    `;
    const updates = await server.db.sql<{ seq: string; at: Date; authorId: string | null }[]>`
      select seq::text, created_at as at, author_id from board_updates where review_id = ${review!.id} order by board_updates.seq
    `;
    expect(updates.length).toBeGreaterThan(100);
    const times = updates.map((u) => u.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(updates.map((u) => u.authorId)).size).toBeGreaterThanOrEqual(5);
    expect(times.at(-1)!).toBeLessThanOrEqual(review!.closedAt.getTime());

    const events = await server.db.sql<{ kind: string; at: Date }[]>`
      select kind, at from review_events where review_id = ${review!.id} order by at, id
    `;
    const kinds = events.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'room.joined')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'triage.pivoted')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'action.recorded')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'action.committed')).toHaveLength(3);
    expect(kinds.indexOf('triage.pivoted')).toBeLessThan(kinds.indexOf('action.recorded'));

    // The final board: the fuel savings item pivoted to triage, with notes and the decisions committed.
    const vp = new ApiClient(server.origin);
    await vp.post('/api/auth/login', { email: 'vp.ops@northwind.example', password: DEMO_PASSWORD });
    const board = connectBoard(server.origin, vp, review!.id);
    await board.synced;
    const agenda = readAgenda(board.doc);
    board.destroy();
    const triage = agenda.find((item) => item.kind === 'triage')!;
    expect(triage.title).toBe('Fleet fuel cost savings');
    expect(triage.notes).toContain('What happened: Diesel prices rose 9%');
    expect(triage.notes).toContain('Decision: Both.');
    expect(triage.decisions.map((d) => d.status)).toEqual(['committed', 'committed']);
    expect(agenda.find((item) => item.title === 'Depots with handheld scanners')!.notes).toContain('14 of 22 depots');
  });
});
