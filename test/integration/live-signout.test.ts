// The organization's event stream ends with the session it was opened with: signing out ends that session's
// streams (the same person's other devices keep theirs), signing out everywhere ends all of them, removing a member
// ends theirs, and a session that expires while a stream is open loses it at the next check. An ended stream gets
// a last `closed` event and then its response ends: no later event reaches it (issue 26, item 6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_LIFETIME_MS } from '../../server/auth/session-policy.ts';
import { ApiClient, createOrganization, PASSWORD, signUp } from '../support/client.ts';
import { openEventStream } from '../support/live.ts';
import { createMetric, planInstant } from '../support/portfolio.ts';
import { addMember, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

type Stream = Awaited<ReturnType<typeof openEventStream>>;

let server: TestServer;
let admin: Person;
let org: { id: string };
let metric: { id: string };
let readings = 0;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signUp(server.origin, 'Stream Admin');
  org = await createOrganization(admin.client, 'Stream Org');
  metric = await createMetric(admin.client, org.id, admin.user.id);
});
afterAll(() => server?.stop());

/** A second device: another session of the same person. */
async function secondDevice(person: Person): Promise<ApiClient> {
  const client = new ApiClient(server.origin);
  const response = await client.post('/api/auth/login', { email: person.user.email, password: PASSWORD });
  expect(response.status).toBe(200);
  return client;
}

const updates = (stream: Stream) => stream.received.filter((r) => r.event === 'metric.updated').length;

/** Takes in a reading and waits until `witness` (a stream that stays open) has seen it. */
async function takeReading(witness: Stream): Promise<void> {
  const before = updates(witness);
  readings += 1;
  const response = await admin.client.post(`/api/metrics/${metric.id}/readings`, {
    value: readings,
    at: planInstant(readings),
  });
  expect(response.status).toBeLessThan(300);
  expect(await witness.waitFor(() => updates(witness) > before)).toBe(true);
}

/** The stream ended by the server with a `closed` event giving the reason, and nothing after it. */
async function expectEnded(stream: Stream, reason: string): Promise<void> {
  await stream.endedWithin(5_000);
  const last = stream.received.at(-1)!;
  expect(last).toEqual({ event: 'closed', data: { reason } });
}

describe('event streams and sign-out', () => {
  it('signing out ends the streams of that session only; no later event reaches them', async () => {
    const person = await addMember(server.origin, admin.client, org.id, 'Streams On Two Devices');
    const phone = await secondDevice(person);
    const onLaptop = await openEventStream(server.origin, person.client, org.id);
    const onPhone = await openEventStream(server.origin, phone, org.id);
    try {
      await takeReading(onPhone);
      expect(await onLaptop.waitFor(() => updates(onLaptop) === 1)).toBe(true);
      expect(server.liveStreams.size).toBe(2);

      expect((await person.client.post('/api/auth/logout')).status).toBe(204);
      await expectEnded(onLaptop, 'Signed out');
      const seen = onLaptop.received.length;
      await takeReading(onPhone);
      expect(onLaptop.received.length).toBe(seen);
      expect(updates(onLaptop)).toBe(1);
      expect(onPhone.ended).toBe(false);
      expect(updates(onPhone)).toBe(2);
      expect(server.liveStreams.size).toBe(1);
      // The signed-out session cannot open a new one.
      expect(
        (await fetch(`${server.origin}/api/orgs/${org.id}/events`, { headers: { cookie: person.client.cookie! } }))
          .status,
      ).toBe(401);
    } finally {
      await onLaptop.close();
      await onPhone.close();
    }
  });

  it('signing out everywhere from another session ends every stream of that person', async () => {
    const person = await addMember(server.origin, admin.client, org.id, 'Signs Out Streams Everywhere');
    const phone = await secondDevice(person);
    const onLaptop = await openEventStream(server.origin, person.client, org.id);
    const onPhone = await openEventStream(server.origin, phone, org.id);
    const colleague = await openEventStream(server.origin, admin.client, org.id);
    try {
      expect((await phone.post('/api/auth/logout-everywhere')).status).toBe(204);
      await expectEnded(onLaptop, 'Signed out everywhere');
      await expectEnded(onPhone, 'Signed out everywhere');
      const seen = [onLaptop.received.length, onPhone.received.length];
      await takeReading(colleague);
      expect([onLaptop.received.length, onPhone.received.length]).toEqual(seen);
      expect([updates(onLaptop), updates(onPhone)]).toEqual([0, 0]);
      expect(colleague.ended).toBe(false);
    } finally {
      await onLaptop.close();
      await onPhone.close();
      await colleague.close();
    }
  });
});

describe('event streams and membership', () => {
  it("removing a member ends their stream of that organization, not their other organization's", async () => {
    const person = await addMember(server.origin, admin.client, org.id, 'Leaves The Stream');
    const ownOrg = await createOrganization(person.client, 'Their Own Org');
    const stream = await openEventStream(server.origin, person.client, org.id);
    const own = await openEventStream(server.origin, person.client, ownOrg.id);
    const colleague = await openEventStream(server.origin, admin.client, org.id);
    try {
      const removed = await admin.client.request('DELETE', `/api/orgs/${org.id}/members/${person.user.id}`);
      expect(removed.status).toBe(204);
      await expectEnded(stream, 'No longer a member of this organization');
      await takeReading(colleague);
      expect(updates(stream)).toBe(0);
      expect(own.ended).toBe(false);
      expect(colleague.ended).toBe(false);
    } finally {
      await stream.close();
      await own.close();
      await colleague.close();
    }
  });
});

describe('event streams and session expiry', () => {
  it('ends a stream whose session expired while it was open, and keeps one whose session was renewed', async () => {
    const person = await addMember(server.origin, admin.client, org.id, 'Leaves A Live Page Open');
    const phone = await secondDevice(person);
    const onLaptop = await openEventStream(server.origin, person.client, org.id);
    const onPhone = await openEventStream(server.origin, phone, org.id);
    const later = SESSION_LIFETIME_MS + 24 * 3600_000;
    try {
      expect(await server.liveStreams.closeExpiredSessions()).toBe(0);
      // Near the end of both sessions only the phone is used: its session is renewed, the laptop's is not.
      server.clock.advance(SESSION_LIFETIME_MS - 24 * 3600_000);
      expect((await phone.get('/api/me')).status).toBe(200);
      // The admin's session is renewed too, so the readings below are taken in.
      expect((await admin.client.get('/api/me')).status).toBe(200);
      server.clock.advance(2 * 24 * 3600_000);
      expect(await server.liveStreams.closeExpiredSessions()).toBe(1);
      await expectEnded(onLaptop, 'Your session expired; sign in again');
      await takeReading(onPhone);
      expect(updates(onLaptop)).toBe(0);
      expect(onPhone.ended).toBe(false);
    } finally {
      // The other tests share this server and its sessions.
      server.clock.advance(-later);
      await onLaptop.close();
      await onPhone.close();
    }
  });
});
