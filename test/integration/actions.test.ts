// Decisions recorded as action items: idempotent, owner-only commitment, versions, isolation, the board mirrors it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAgenda } from '../../server/domain/board.ts';
import { createOrganization, signUp } from '../support/client.ts';
import { addMember, reviewFixture, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually } from '../support/sync.ts';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
let owner: Person;

beforeAll(async () => {
  server = await startTestServer();
  fixture = await reviewFixture(server.origin);
  owner = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Sofia Owner');
});
afterAll(() => server?.stop());

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('action items', () => {
  it('records a decision once however often it is sent, and shows it on the board', async () => {
    const board = connectBoard(server.origin, owner.client, fixture.review.id);
    await board.synced;
    const itemId = readAgenda(board.doc)[0]!.id;
    const body = {
      id: crypto.randomUUID(),
      title: 'Pilot eco-driving in the north',
      ownerId: owner.user.id,
      dueDate: inDays(14),
      itemId,
      metricId: fixture.metric.id,
    };
    const path = `/api/reviews/${fixture.review.id}/actions`;
    const responses = await Promise.all([1, 2, 3].map(() => fixture.facilitator.client.post(path, body)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(responses[0]!.body.action).toMatchObject({ status: 'proposed', owner: { name: 'Sofia Owner' }, version: 1 });
    const listed = await fixture.facilitator.client.get(`/api/orgs/${fixture.org.id}/actions?limit=100`);
    expect(listed.body.actions.filter((action: { id: string }) => action.id === body.id)).toHaveLength(1);
    await eventually(
      () => readAgenda(board.doc)[0]!.decisions.some((d) => d.actionItemId === body.id && d.status === 'proposed'),
      5_000,
      'the board to show the recorded decision',
    );

    // Only the owner commits; everyone sees it on the board.
    const commit = `/api/actions/${body.id}/commit`;
    const refused = await fixture.facilitator.client.post(commit);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('Only Sofia Owner can commit to this');
    const committed = await owner.client.post(commit);
    expect(committed.status).toBe(200);
    expect(committed.body.action).toMatchObject({ status: 'committed', version: 2 });
    expect(committed.body.action.committedAt).not.toBeNull();
    expect((await owner.client.post(commit)).status).toBe(409);
    await eventually(
      () => readAgenda(board.doc)[0]!.decisions.some((d) => d.status === 'committed'),
      5_000,
      'the board to show the commitment',
    );
    board.destroy();

    // Concurrent edits: the second with a stale version gets a clear conflict, nothing is lost.
    const [first, second] = await Promise.all([
      owner.client.request('PATCH', `/api/actions/${body.id}`, { version: 2, dueDate: inDays(21) }),
      fixture.facilitator.client.request('PATCH', `/api/actions/${body.id}`, { version: 2, title: 'Pilot in north' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    expect(loser.body.error).toMatch(/changed meanwhile/);

    const done = await owner.client.request('PATCH', `/api/actions/${body.id}`, { version: 3, status: 'done' });
    expect(done.body.action.status).toBe('done');
    const { history } = (await owner.client.get(`/api/actions/${body.id}`)).body;
    expect(history.map((h: { change: string; actor: { name: string } }) => [h.change, h.actor.name])).toEqual([
      ['recorded', 'Fran Facilitator'],
      ['committed', 'Sofia Owner'],
      ['changed', expect.any(String)],
      ['done', 'Sofia Owner'],
    ]);
    // The review's event log has the moments the room decided and the owner committed (for replay).
    const log = await fixture.facilitator.client.get<{
      events: { kind: string; actor: { id: string } | null; data: { actionId?: string } }[];
    }>(`/api/reviews/${fixture.review.id}/history/events?limit=1000`);
    const events = log.body.events.filter((event) => event.data.actionId === body.id);
    expect(events.map((e) => [e.kind, e.actor?.id])).toEqual([
      ['action.recorded', fixture.facilitator.user.id],
      ['action.committed', owner.user.id],
    ]);
  });

  it('validates with the field and the reason, and keeps organizations apart', async () => {
    const path = `/api/reviews/${fixture.review.id}/actions`;
    const outsider = await signUp(server.origin, 'Outsider');
    await createOrganization(outsider.client, 'Elsewhere');
    const bad = await fixture.facilitator.client.post(path, {
      id: crypto.randomUUID(),
      title: ' ',
      ownerId: outsider.user.id,
      dueDate: '2020-01-01',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(['title']);
    const references = await fixture.facilitator.client.post(path, {
      id: crypto.randomUUID(),
      title: 'Fix it',
      ownerId: outsider.user.id,
      dueDate: '2020-01-01',
    });
    expect(references.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['dueDate', 'ownerId']);

    const id = crypto.randomUUID();
    await fixture.facilitator.client.post(path, { id, title: 'Mine', ownerId: owner.user.id, dueDate: inDays(3) });
    expect((await outsider.client.get(`/api/actions/${id}`)).status).toBe(404);
    expect((await outsider.client.post(`/api/actions/${id}/commit`)).status).toBe(404);
    expect(
      (
        await outsider.client.post(path, {
          id: crypto.randomUUID(),
          title: 'x',
          ownerId: outsider.user.id,
          dueDate: inDays(3),
        })
      ).status,
    ).toBe(403);
    const dropped = await owner.client.request('PATCH', `/api/actions/${id}`, { version: 1, status: 'dropped' });
    expect(dropped.body.issues).toEqual([{ path: 'status', message: 'needs a reason to drop it' }]);
  });

  it("never keeps a commitment on someone else's behalf: a committed item that changes hands is proposed again", async () => {
    // Issue 26, item 8: reassigning kept the item committed under a new owner who never said "I commit".
    const other = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Nils Newowner');
    const id = crypto.randomUUID();
    const path = `/api/reviews/${fixture.review.id}/actions`;
    await fixture.facilitator.client.post(path, {
      id,
      title: 'Renegotiate',
      ownerId: owner.user.id,
      dueDate: inDays(9),
    });
    expect((await owner.client.post(`/api/actions/${id}/commit`)).status).toBe(200);

    const moved = await fixture.facilitator.client.request('PATCH', `/api/actions/${id}`, {
      version: 2,
      ownerId: other.user.id,
    });
    expect(moved.status).toBe(200);
    expect(moved.body.action).toMatchObject({
      status: 'proposed',
      committedAt: null,
      owner: { name: 'Nils Newowner' },
    });
    const { history } = (await other.client.get(`/api/actions/${id}`)).body as { history: { change: string }[] };
    expect(history.map((h) => h.change).at(-1)).toBe('reassigned, awaiting commitment');

    // The new owner commits themselves; the old one no longer can.
    expect((await owner.client.post(`/api/actions/${id}/commit`)).status).toBe(403);
    const committed = await other.client.post(`/api/actions/${id}/commit`);
    expect(committed.status).toBe(200);
    expect(committed.body.action).toMatchObject({ status: 'committed', owner: { name: 'Nils Newowner' } });
  });
});
