// After the room: the owner's counter-proposal of a due date, verification by the linked metric, and the
// commitments check the series' next review gets when it goes live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackgroundWork } from '../../server/background.ts';
import { createActionFollowUp } from '../../server/services/follow-up.ts';
import { readAgenda } from '../../server/domain/board.ts';
import { createLogger } from '../../server/logger.ts';
import { ApiClient } from '../support/client.ts';
import { addMember, createReview, reviewFixture, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually } from '../support/sync.ts';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
let owner: Person;
let viewer: Person;
let source: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  fixture = await reviewFixture(server.origin);
  owner = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Sofia Owner');
  viewer = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Vic Viewer');
  const client = fixture.facilitator.client;
  expect(
    (
      await client.request('PUT', `/api/reviews/${fixture.review.id}/participants/${viewer.user.id}`, {
        role: 'viewer',
      })
    ).status,
  ).toBe(200);
  expect((await client.post(`/api/reviews/${fixture.review.id}/start`)).status).toBe(200);
  const token = await client.post(`/api/orgs/${fixture.org.id}/tokens`, { name: 'BI export' });
  source = new ApiClient(server.origin, { sendOrigin: false, bearer: token.body.secret });
});
afterAll(() => server?.stop());

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function record(body: Record<string, unknown> = {}) {
  const response = await fixture.facilitator.client.post(`/api/reviews/${fixture.review.id}/actions`, {
    id: crypto.randomUUID(),
    title: 'Pilot eco-driving in the north',
    ownerId: owner.user.id,
    dueDate: inDays(14),
    ...body,
  });
  expect(response.status).toBe(201);
  return response.body.action as { id: string; version: number; dueDate: string };
}

describe('a different due date', () => {
  it('moves the expected effect with the due date, by as many days', async () => {
    // Issue 27: accepting a new due date left the effect behind ("due Dec 24, effect by Dec 10").
    const action = await record({ metricId: fixture.metric.id, expectedEffect: { maxSlip: 0.05, by: inDays(21) } });
    const path = `/api/actions/${action.id}/proposed-due-date`;
    await owner.client.post(path, { dueDate: inDays(24) });
    const accepted = await fixture.facilitator.client.post(`${path}/decision`, { accept: true });
    expect(accepted.body.action).toMatchObject({
      dueDate: inDays(24),
      expectedEffect: { maxSlip: 0.05, by: inDays(31) },
    });

    const moved = await fixture.facilitator.client.request('PATCH', `/api/actions/${action.id}`, {
      version: accepted.body.action.version,
      dueDate: inDays(17),
    });
    expect(moved.status).toBe(200);
    expect(moved.body.action).toMatchObject({ dueDate: inDays(17), expectedEffect: { by: inDays(24) } });

    // An item that promises no effect gets none.
    const plain = await record();
    await owner.client.post(`/api/actions/${plain.id}/proposed-due-date`, { dueDate: inDays(24) });
    const decided = await fixture.facilitator.client.post(`/api/actions/${plain.id}/proposed-due-date/decision`, {
      accept: true,
    });
    expect(decided.body.action).toMatchObject({ dueDate: inDays(24), expectedEffect: null });
  });

  it('is proposed by the owner only and accepted or declined by the facilitator only', async () => {
    const action = await record();
    const path = `/api/actions/${action.id}/proposed-due-date`;
    expect((await fixture.facilitator.client.post(path, { dueDate: inDays(20) })).status).toBe(403);
    const past = await owner.client.post(path, { dueDate: '2020-01-01' });
    expect(past.status).toBe(400);
    expect(past.body.issues[0].path).toBe('dueDate');
    const proposed = await owner.client.post(path, { dueDate: inDays(20) });
    expect(proposed.status).toBe(200);
    expect(proposed.body.action).toMatchObject({ proposedDueDate: inDays(20), dueDate: action.dueDate });

    expect((await owner.client.post(`${path}/decision`, { accept: true })).status).toBe(403);
    const accepted = await fixture.facilitator.client.post(`${path}/decision`, { accept: true });
    expect(accepted.status).toBe(200);
    expect(accepted.body.action).toMatchObject({ proposedDueDate: null, dueDate: inDays(20) });
    expect((await fixture.facilitator.client.post(`${path}/decision`, { accept: true })).status).toBe(409);

    await owner.client.post(path, { dueDate: inDays(30) });
    const declined = await fixture.facilitator.client.post(`${path}/decision`, { accept: false });
    expect(declined.body.action).toMatchObject({ proposedDueDate: null, dueDate: inDays(20) });
    const { history } = (await owner.client.get(`/api/actions/${action.id}`)).body;
    expect(history.map((h: { change: string }) => h.change)).toEqual([
      'recorded',
      'due date proposed',
      'due date accepted',
      'due date proposed',
      'due date declined',
    ]);
  });

  it('is refused to viewers changing the item', async () => {
    const action = await record();
    const response = await viewer.client.request('PATCH', `/api/actions/${action.id}`, { version: 1, title: 'x' });
    expect(response.status).toBe(403);
  });
});

describe('closed by the numbers', () => {
  it('needs a linked metric and a date that is not past', async () => {
    const response = await fixture.facilitator.client.post(`/api/reviews/${fixture.review.id}/actions`, {
      id: crypto.randomUUID(),
      title: 'Cut idling',
      ownerId: owner.user.id,
      dueDate: inDays(5),
      expectedEffect: { maxSlip: 0.05, by: '2020-01-01' },
    });
    expect(response.status).toBe(400);
    expect(response.body.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'expectedEffect',
      'expectedEffect.by',
    ]);
  });

  it('is verified by a reading within the expected slip, and only then', async () => {
    const action = await record({ metricId: fixture.metric.id, expectedEffect: { maxSlip: 0.05, by: inDays(30) } });
    const unrelated = await record({ expectedEffect: undefined });
    // Far behind plan: not verified.
    await source.post(`/api/metrics/${fixture.metric.id}/readings`, {
      value: 1,
      at: new Date().toISOString(),
      source: 'bi',
    });
    await server.settled();
    expect((await owner.client.get(`/api/actions/${action.id}`)).body.action.verification).toBeNull();
    // Ahead of plan: verified, and the history says so.
    await source.post(`/api/metrics/${fixture.metric.id}/readings`, {
      value: 100,
      at: new Date(Date.now() + 1000).toISOString(),
      source: 'bi',
    });
    await eventually(
      async () => (await owner.client.get(`/api/actions/${action.id}`)).body.action.verification === 'verified',
      5_000,
      'the item to be verified by the metric',
    );
    const { history } = (await owner.client.get(`/api/actions/${action.id}`)).body;
    expect(history.at(-1)).toMatchObject({ change: 'verified by metric', actor: null });
    expect((await owner.client.get(`/api/actions/${unrelated.id}`)).body.action.verification).toBeNull();
  });

  it('is not verified once its date has passed without such a reading', async () => {
    const action = await record({ metricId: fixture.metric.id, expectedEffect: { maxSlip: 0, by: inDays(2) } });
    const followUp = createActionFollowUp({
      sql: server.db.sql,
      rooms: server.rooms,
      events: server.events,
      logger: createLogger('warn'),
      background: new BackgroundWork(createLogger('warn')),
      now: () => new Date(Date.now() + 5 * 86_400_000),
    });
    try {
      expect(await followUp.expire()).toContain(action.id);
      expect(await followUp.expire()).not.toContain(action.id);
    } finally {
      followUp.stop();
    }
    const shown = (await owner.client.get(`/api/actions/${action.id}`)).body.action;
    expect(shown.verification).toBe('not_verified');
  });
});

describe('the commitments check', () => {
  it('lists open items of earlier reviews of the series once, overdue first, and ticking one done updates it', async () => {
    const client = fixture.facilitator.client;
    const open = await record({ title: 'Renegotiate fuel cards', dueDate: inDays(3) });
    const committed = await record({ title: 'Train drivers', dueDate: inDays(10) });
    expect((await owner.client.post(`/api/actions/${committed.id}/commit`)).status).toBe(200);
    const dropped = await record({ title: 'Dropped idea' });
    await client.request('PATCH', `/api/actions/${dropped.id}`, { version: 1, status: 'dropped', reason: 'no budget' });
    // One item is overdue: its due date lies in the past (set directly, as time passing would).
    const late = await record({ title: 'Zzz overdue one', dueDate: inDays(1) });
    await server.db.sql`update action_items set due_date = current_date - 3 where id = ${late.id}`;

    const next = await createReview(client, fixture.org.id, {
      title: 'Next week',
      series: 'Weekly ops review',
      metricIds: [fixture.metric.id],
    });
    const other = await createReview(client, fixture.org.id, { title: 'Other series', series: 'Board prep' });
    expect((await client.post(`/api/reviews/${next.id}/start`)).status).toBe(200);
    expect((await client.post(`/api/reviews/${other.id}/start`)).status).toBe(200);

    const board = connectBoard(server.origin, owner.client, next.id);
    await board.synced;
    const check = () => readAgenda(board.doc).find((item) => item.kind === 'commitments-check');
    await eventually(() => check() !== undefined, 5_000, 'the commitments check on the board');
    const titles = check()!.commitments.map((entry) => entry.title);
    expect(titles[0]).toBe('Zzz overdue one');
    expect(check()!.commitments[0]).toMatchObject({ overdue: true, ownerName: 'Sofia Owner' });
    // Each entry names who facilitated the review that recorded it, for the room to offer "done" as the server would.
    expect(new Set(check()!.commitments.map((entry) => entry.reviewFacilitatorId))).toEqual(
      new Set([fixture.facilitator.user.id]),
    );
    expect(titles).toContain('Renegotiate fuel cards');
    expect(titles).toContain('Train drivers');
    expect(titles).not.toContain('Dropped idea');
    expect(titles.indexOf('Renegotiate fuel cards')).toBeLessThan(titles.indexOf('Train drivers'));

    // The other series gets none of them (its check is empty).
    const otherBoard = connectBoard(server.origin, owner.client, other.id);
    await otherBoard.synced;
    await eventually(
      () => readAgenda(otherBoard.doc).some((item) => item.kind === 'commitments-check'),
      5_000,
      'the other review’s commitments check',
    );
    expect(readAgenda(otherBoard.doc).find((item) => item.kind === 'commitments-check')!.commitments).toEqual([]);
    otherBoard.destroy();

    // Generated once per review: going live again (refused) or another start leaves one check.
    expect((await client.post(`/api/reviews/${next.id}/start`)).status).toBe(409);
    const history = await client.get(`/api/reviews/${next.id}/history/events?limit=1000`);
    expect(history.body.events.filter((event: { kind: string }) => event.kind === 'commitments.listed')).toHaveLength(
      1,
    );
    expect(readAgenda(board.doc).filter((item) => item.kind === 'commitments-check')).toHaveLength(1);

    // Ticking one done there updates PostgreSQL and the board.
    const version = (await owner.client.get(`/api/actions/${committed.id}`)).body.action.version;
    const done = await owner.client.request('PATCH', `/api/actions/${committed.id}`, { version, status: 'done' });
    expect(done.status).toBe(200);
    await eventually(
      () => check()!.commitments.find((entry) => entry.id === committed.id)?.status === 'done',
      5_000,
      'the commitments check to show the item done',
    );
    expect((await owner.client.get(`/api/actions/${committed.id}`)).body.action.status).toBe('done');
    expect(open.id).toBeTruthy();
    board.destroy();
  });
});
