// Signing out closes the review rooms opened with that session (within a second), signing out everywhere closes
// all of them, and a removed member's rooms of that organization close at once; reconnecting is refused. A session
// that expires while its socket is open loses the socket at the next check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_LIFETIME_MS } from '../../server/auth/session-policy.ts';
import { ApiClient, PASSWORD } from '../support/client.ts';
import { addMember, reviewFixture, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;

beforeAll(async () => {
  server = await startTestServer();
  fixture = await reviewFixture(server.origin);
});
afterAll(() => server?.stop());

/** A second device: another session of the same person. */
async function secondDevice(person: Person): Promise<ApiClient> {
  const client = new ApiClient(server.origin);
  const response = await client.post('/api/auth/login', { email: person.user.email, password: PASSWORD });
  expect(response.status).toBe(200);
  return client;
}

async function open(client: ApiClient): Promise<BoardClient> {
  const board = connectBoard(server.origin, client, fixture.review.id);
  await board.synced;
  return board;
}

const closedWith = (board: BoardClient, code: number) => board.closes.some((close) => close.code === code);

describe('session expiry', () => {
  it('closes a socket whose session expired while it was open, and keeps one whose session was renewed', async () => {
    const person = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Leaves A Tab Open');
    const phone = await secondDevice(person);
    const [onLaptop, onPhone] = await Promise.all([open(person.client), open(phone)]);
    expect(await server.rooms.closeExpiredSessions()).toBe(0);
    // Near the end of both sessions, only the phone is used: its session is renewed, the laptop's is not.
    const later = SESSION_LIFETIME_MS + 24 * 3600_000;
    try {
      server.clock.advance(SESSION_LIFETIME_MS - 24 * 3600_000);
      expect((await phone.get('/api/me')).status).toBe(200);
      server.clock.advance(2 * 24 * 3600_000);
      expect(await server.rooms.closeExpiredSessions()).toBe(1);
      await eventually(() => closedWith(onLaptop, 4401), 1_000, 'the expired session’s socket to close');
      expect(onPhone.closes).toEqual([]);
      expect(onPhone.provider.wsconnected).toBe(true);
      expect((await person.client.get('/api/me')).status).toBe(401);
    } finally {
      // The other tests share this server and its sessions.
      server.clock.advance(-later);
    }
    onLaptop.destroy();
    onPhone.destroy();
  });
});

describe('signing out', () => {
  it('closes the sockets of that session only, within a second', async () => {
    const person = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Laptop And Phone');
    const phone = await secondDevice(person);
    const [onLaptop, onPhone] = await Promise.all([open(person.client), open(phone)]);
    const started = Date.now();
    expect((await person.client.post('/api/auth/logout')).status).toBe(204);
    await eventually(() => closedWith(onLaptop, 4401), 1_000, 'the laptop’s socket to close');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(onPhone.closes).toEqual([]);
    expect(onPhone.provider.wsconnected).toBe(true);
    onLaptop.destroy();
    onPhone.destroy();
  });

  it('everywhere: every session ends and every socket closes; reconnecting is refused', async () => {
    const person = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Signs Out Everywhere');
    const phone = await secondDevice(person);
    const [onLaptop, onPhone] = await Promise.all([open(person.client), open(phone)]);
    const colleague = await open(fixture.facilitator.client);
    expect((await phone.post('/api/auth/logout-everywhere')).status).toBe(204);
    await eventually(() => closedWith(onLaptop, 4401) && closedWith(onPhone, 4401), 1_000, 'both sockets to close');
    expect(colleague.closes).toEqual([]);
    expect((await person.client.get('/api/me')).status).toBe(401);
    expect((await phone.get('/api/me')).status).toBe(401);
    // The providers try again and are refused before any upgrade.
    const refused = await fetch(`${server.origin}/sync/${fixture.review.id}`, {
      headers: { cookie: person.client.cookie ?? '', origin: server.origin },
    });
    expect(refused.status).toBe(401);
    for (const board of [onLaptop, onPhone, colleague]) board.destroy();
    expect((await new ApiClient(server.origin).post('/api/auth/logout-everywhere')).status).toBe(401);
  });
});

describe('removing a member', () => {
  it('closes their rooms of that organization at once and refuses them afterwards', async () => {
    const person = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Leaves The Team');
    const board = await open(person.client);
    const colleague = await open(fixture.facilitator.client);
    const removed = await fixture.facilitator.client.request(
      'DELETE',
      `/api/orgs/${fixture.org.id}/members/${person.user.id}`,
    );
    expect(removed.status).toBe(204);
    await eventually(() => closedWith(board, 4403), 1_000, 'the removed member’s socket to close');
    expect(colleague.closes).toEqual([]);
    const refused = await fetch(`${server.origin}/sync/${fixture.review.id}`, {
      headers: { cookie: person.client.cookie ?? '', origin: server.origin },
    });
    expect(refused.status).toBe(403);
    board.destroy();
    colleague.destroy();
  });
});
