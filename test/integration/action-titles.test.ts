// An action item's title: refused (400 naming `title`), never cut, past 200 characters when recorded or renamed;
// its owner renames it with the version they saw, and a stale version is a 409 that changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAgenda } from '../../server/domain/board.ts';
import { addMember, reviewFixture, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard } from '../support/sync.ts';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
let owner: Person;
let itemId: string;

beforeAll(async () => {
  server = await startTestServer();
  fixture = await reviewFixture(server.origin);
  owner = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Sofia Owner');
  const board = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
  await board.synced;
  itemId = readAgenda(board.doc)[0]!.id;
  board.destroy();
});
afterAll(() => server?.stop());

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const long = 'Renegotiate the fuel card contract with the northern depots '.repeat(4).trim();

function record(title: string) {
  return fixture.facilitator.client.post(`/api/reviews/${fixture.review.id}/actions`, {
    id: crypto.randomUUID(),
    title,
    ownerId: owner.user.id,
    dueDate: inDays(14),
    itemId,
  });
}

describe('an action item title', () => {
  it('of 200 characters is kept whole', async () => {
    const title = long.slice(0, 200);
    const recorded = await record(title);
    expect(recorded.status).toBe(201);
    expect(recorded.body.action.title).toBe(title);
  });

  it('over 200 characters is refused with the field named, and nothing is recorded', async () => {
    expect(long.length).toBeGreaterThan(200);
    const refused = await record(long);
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([{ path: 'title', message: 'must be at most 200 characters' }]);
    const rows = await server.db
      .sql`select count(*)::int as n from action_items where title like ${`${long.slice(0, 40)}%`}`;
    expect(rows[0]!.n).toBe(1); // the 200-character one above
  });

  it('is renamed by its owner with the version they saw; a stale version changes nothing', async () => {
    const recorded = await record('Pilot eco-driving');
    const id = recorded.body.action.id as string;
    const path = `/api/actions/${id}`;

    const renamed = await owner.client.request('PATCH', path, { version: 1, title: '  Pilot eco-driving, north  ' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.action).toMatchObject({ title: 'Pilot eco-driving, north', version: 2 });

    const stale = await owner.client.request('PATCH', path, { version: 1, title: 'Something else' });
    expect(stale.status).toBe(409);
    const tooLong = await owner.client.request('PATCH', path, { version: 2, title: long });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.issues).toEqual([{ path: 'title', message: 'must be at most 200 characters' }]);

    const { action, history } = (await owner.client.get(path)).body;
    expect(action).toMatchObject({ title: 'Pilot eco-driving, north', version: 2 });
    expect(history.map((entry: { change: string }) => entry.change)).toEqual(['recorded', 'changed']);
  });
});
