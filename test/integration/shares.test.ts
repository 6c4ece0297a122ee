// Read-only share links to a closed review: only its facilitator or an admin creates, lists and revokes them; the
// token opens the minutes, the action items and the replay's history without a session, and nothing else; an
// expired or revoked token is indistinguishable from a wrong one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notesOf, readAgenda } from '../../server/domain/board.ts';
import { ApiClient } from '../support/client.ts';
import { addMember, createReview, reviewFixture, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually } from '../support/sync.ts';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
let member: Person;
let anonymous: ApiClient;
let actionId: string;
const DAY = 86_400_000;

const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
const shares = () => `/api/reviews/${fixture.review.id}/shares`;
const tokenOf = (url: string) => new URL(url).pathname.split('/').pop()!;

beforeAll(async () => {
  server = await startTestServer();
  fixture = await reviewFixture(server.origin);
  member = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Mo Member');
  anonymous = new ApiClient(server.origin);
  const facilitator = fixture.facilitator.client;
  await facilitator.post(`/api/reviews/${fixture.review.id}/start`);
  const board = connectBoard(server.origin, facilitator, fixture.review.id);
  await board.synced;
  const itemId = readAgenda(board.doc)[0]!.id;
  notesOf(board.doc, itemId)!.insert(0, 'Shared notes');
  await eventually(
    async () =>
      (await facilitator.get(`/api/reviews/${fixture.review.id}/minutes`)).body.minutes?.items[0]?.notes ===
      'Shared notes',
    5_000,
    'the notes to be stored',
  );
  board.destroy();
  actionId = crypto.randomUUID();
  const recorded = await facilitator.post(`/api/reviews/${fixture.review.id}/actions`, {
    id: actionId,
    itemId,
    title: '=HYPERLINK("evil") Renegotiate the lease',
    ownerId: member.user.id,
    dueDate: inDays(14),
  });
  expect(recorded.status).toBe(201);
});
afterAll(() => server?.stop());

describe('share links', () => {
  it('exist for closed reviews only', async () => {
    const response = await fixture.facilitator.client.post(shares(), {});
    expect(response.status).toBe(409);
    expect(response.body.error).toMatch(/closed/);
    expect((await fixture.facilitator.client.post(`/api/reviews/${fixture.review.id}/close`)).status).toBe(200);
  });

  it('are created, listed and revoked by the facilitator or an admin only', async () => {
    expect((await member.client.post(shares(), {})).status).toBe(403);
    expect((await member.client.get(shares())).status).toBe(403);
    expect((await anonymous.post(shares(), {})).status).toBe(401);
    const tooLong = await fixture.facilitator.client.post(shares(), { expiresInDays: 91 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.issues[0].path).toBe('expiresInDays');

    const created = await fixture.facilitator.client.post(shares(), { expiresInDays: 3 });
    expect(created.status).toBe(201);
    expect(created.body.url).toMatch(new RegExp(`^${server.origin}/shared/[a-z2-7]{32}$`));
    expect(Date.parse(created.body.share.expiresAt) - Date.parse(created.body.share.createdAt)).toBe(3 * DAY);
    const defaulted = await fixture.facilitator.client.post(shares(), {});
    expect(Date.parse(defaulted.body.share.expiresAt) - Date.parse(defaulted.body.share.createdAt)).toBe(14 * DAY);

    const listed = await fixture.facilitator.client.get(shares());
    expect(listed.status).toBe(200);
    expect(listed.body.shares.map((s: { id: string }) => s.id)).toEqual([
      defaulted.body.share.id,
      created.body.share.id,
    ]);
    // Only a hash is kept: the list and the database never hold the token.
    const token = tokenOf(created.body.url);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    const rows = await server.db.sql`select token_hash from review_shares`;
    expect(rows.map((row) => row.token_hash)).not.toContain(token);

    expect((await member.client.delete(`${shares()}/${created.body.share.id}`)).status).toBe(403);
    expect((await fixture.facilitator.client.delete(`${shares()}/${created.body.share.id}`)).status).toBe(204);
    expect((await fixture.facilitator.client.delete(`${shares()}/${crypto.randomUUID()}`)).status).toBe(404);
    const after = await fixture.facilitator.client.get(shares());
    expect(after.body.shares.find((s: { id: string }) => s.id === created.body.share.id).state).toBe('revoked');
  });

  it('open the minutes, the action items and the history without a session', async () => {
    const { body } = await fixture.facilitator.client.post(shares(), {});
    const token = tokenOf(body.url);
    const shared = await anonymous.get(`/api/shared/${token}`);
    expect(shared.status).toBe(200);
    expect(shared.body.review.title).toBe('Weekly ops review');
    expect(shared.body.minutes.items[0].notes).toBe('Shared notes');
    expect(shared.body.minutes.decisions[0].replayLink).toMatch(new RegExp(`^/shared/${token}/replay\\?at=\\d+$`));
    expect(shared.body.people).toContainEqual({ id: member.user.id, name: 'Mo Member' });
    expect(JSON.stringify(shared.body)).not.toContain('@example.com');

    const markdown = await fetch(`${server.origin}/api/shared/${token}/minutes.md`);
    expect(markdown.status).toBe(200);
    expect(markdown.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(await markdown.text()).toContain('> Shared notes');

    const csv = await fetch(`${server.origin}/api/shared/${token}/actions.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await csv.text();
    // A formula-looking title stays text in a spreadsheet.
    expect(text).toContain(`"'=HYPERLINK(""evil"") Renegotiate the lease",proposed,Mo Member,${inDays(14)}`);

    const history = await anonymous.get(`/api/shared/${token}/history`);
    expect(history.status).toBe(200);
    expect(history.body.review.status).toBe('closed');
    const updates = await anonymous.get(`/api/shared/${token}/history/updates?limit=1000`);
    expect(updates.body.updates.length).toBe(history.body.log.updates);
    const events = await anonymous.get(`/api/shared/${token}/history/events?limit=2`);
    expect(events.body.events).toHaveLength(2);
    expect(events.body.nextAfterId).not.toBeNull();
    const board = await anonymous.get(`/api/shared/${token}/history/board?seq=${history.body.log.updates}`);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(Buffer.from(board.body.state, 'base64')));
    expect(readAgenda(doc)[0]!.notes).toBe('Shared notes');
    expect((await anonymous.get(`/api/shared/${token}/history/updates?limit=0`)).status).toBe(400);
  });

  it('grant nothing else', async () => {
    const { body } = await fixture.facilitator.client.post(shares(), {});
    const token = tokenOf(body.url);
    const asBearer = new ApiClient(server.origin, { bearer: token });
    expect((await asBearer.get(`/api/reviews/${fixture.review.id}`)).status).toBe(401);
    expect((await asBearer.get(`/api/reviews/${fixture.review.id}/minutes`)).status).toBe(401);
    expect((await anonymous.get(`/api/shared/${token}/../../reviews/${fixture.review.id}`)).status).toBe(401);
    expect((await anonymous.get(`/api/reviews/${fixture.review.id}/history?token=${token}`)).status).toBe(401);
    expect((await asBearer.get(`/api/orgs/${fixture.org.id}/actions`)).status).toBe(401);
    expect((await asBearer.get(`/api/orgs/${fixture.org.id}/actions.csv`)).status).toBe(401);
  });

  it('answer the same 404 for a wrong, an expired and a revoked token', async () => {
    const revoked = (await fixture.facilitator.client.post(shares(), {})).body;
    await fixture.facilitator.client.delete(`${shares()}/${revoked.share.id}`);
    const expiring = (await fixture.facilitator.client.post(shares(), { expiresInDays: 1 })).body;
    expect((await anonymous.get(`/api/shared/${tokenOf(expiring.url)}`)).status).toBe(200);
    server.clock.advance(DAY + 1_000);

    const answers = [];
    for (const token of [tokenOf(revoked.url), tokenOf(expiring.url), 'a'.repeat(32), 'not-a-token']) {
      for (const path of ['', '/minutes.md', '/actions.csv', '/history', '/history/events']) {
        const response = await anonymous.get(`/api/shared/${token}${path}`);
        answers.push([response.status, response.body.error]);
      }
    }
    expect(new Set(answers.map((answer) => JSON.stringify(answer)))).toEqual(
      new Set([JSON.stringify([404, answers[0]![1]])]),
    );
    const listed = await fixture.facilitator.client.get(shares());
    expect(listed.body.shares.find((s: { id: string }) => s.id === expiring.share.id).state).toBe('expired');
  });

  it('are refused for a scheduled review, even to an admin', async () => {
    const scheduled = await createReview(fixture.facilitator.client, fixture.org.id, { title: 'Next week' });
    expect((await fixture.facilitator.client.post(`/api/reviews/${scheduled.id}/shares`, {})).status).toBe(409);
  });

  it('slow down an address that keeps guessing (429 with Retry-After)', async () => {
    let response = await anonymous.get(`/api/shared/${'b'.repeat(32)}`);
    for (let attempt = 0; attempt < 40 && response.status === 404; attempt++)
      response = await anonymous.get(`/api/shared/${'b'.repeat(32)}`);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
