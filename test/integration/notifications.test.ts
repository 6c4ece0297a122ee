// Notifications for owners (assigned on record, due soon and overdue once per item from the scan) and the private
// calendar feed a calendar app fetches with its token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNotificationScan } from '../../server/services/notify/scan.ts';
import { ApiClient, signUp } from '../support/client.ts';
import { addMember, reviewFixture, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { eventually } from '../support/sync.ts';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
let owner: Person;

beforeAll(async () => {
  server = await startTestServer();
  fixture = await reviewFixture(server.origin);
  owner = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Sofia Owner');
});
afterAll(() => server?.stop());

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

async function recordAction(title: string, ownerId: string, dueDate: string) {
  const id = crypto.randomUUID();
  const response = await fixture.facilitator.client.post(`/api/reviews/${fixture.review.id}/actions`, {
    id,
    title,
    ownerId,
    dueDate,
  });
  expect(response.status).toBe(201);
  return id;
}

interface NotificationsPage {
  notifications: { id: string; kind: string; actionItemId: string; title: string; readAt: string | null }[];
  unread: number;
  nextBefore: string | null;
}

const notificationsOf = async (client: ApiClient, query = '') =>
  (await client.get<NotificationsPage>(`/api/me/notifications${query}`)).body;

describe('notifications', () => {
  it('tells the owner about an item recorded for them, not the person who recorded their own', async () => {
    const actionId = await recordAction('Pilot eco-driving in the north', owner.user.id, inDays(20));
    await eventually(async () => (await notificationsOf(owner.client)).unread === 1, 5_000, 'the notification');
    const page = await notificationsOf(owner.client);
    expect(page.notifications).toHaveLength(1);
    expect(page.notifications[0]).toMatchObject({
      kind: 'assigned',
      actionItemId: actionId,
      title: 'You own “Pilot eco-driving in the north”',
      readAt: null,
    });

    await recordAction('Write the board memo', fixture.facilitator.user.id, inDays(20));
    await server.settled();
    expect((await notificationsOf(fixture.facilitator.client)).notifications).toEqual([]);

    // Marking read: only one's own notifications.
    const foreign = await fixture.facilitator.client.post('/api/me/notifications/read', {
      ids: [page.notifications[0]!.id],
    });
    expect(foreign.body).toEqual({ marked: 0, unread: 0 });
    const marked = await owner.client.post('/api/me/notifications/read', { ids: [page.notifications[0]!.id] });
    expect(marked.body).toEqual({ marked: 1, unread: 0 });
    expect((await notificationsOf(owner.client)).notifications[0]!.readAt).not.toBeNull();
  });

  it('announces due soon and overdue once per item, however often the scan runs', async () => {
    const soon = await recordAction('Renegotiate fuel contract', owner.user.id, inDays(1));
    const later = await recordAction('Hire two dispatchers', owner.user.id, inDays(9));
    const now = new Date();
    const first = await runNotificationScan(server.db.sql, now);
    expect(first.dueSoon).toBeGreaterThanOrEqual(1);
    expect((await runNotificationScan(server.db.sql, now)).dueSoon).toBe(0);

    const inFiveDays = new Date(now.getTime() + 5 * DAY);
    expect((await runNotificationScan(server.db.sql, inFiveDays)).overdue).toBe(1);
    expect((await runNotificationScan(server.db.sql, inFiveDays)).overdue).toBe(0);
    // Seven days on, the second item is due soon (announced once) and the first is not announced again.
    const inSevenDays = new Date(now.getTime() + 7 * DAY);
    expect(await runNotificationScan(server.db.sql, inSevenDays)).toMatchObject({ dueSoon: 1, overdue: 0 });
    expect(await runNotificationScan(server.db.sql, inSevenDays)).toMatchObject({ dueSoon: 0, overdue: 0 });

    await eventually(async () => (await notificationsOf(owner.client)).unread === 5, 5_000, 'five unread');
    const kinds = (await notificationsOf(owner.client)).notifications
      .filter((n) => n.actionItemId === soon || n.actionItemId === later)
      .map((n) => `${n.actionItemId === soon ? 'soon' : 'later'}:${n.kind}`)
      .sort();
    expect(kinds).toEqual(['later:assigned', 'later:due_soon', 'soon:assigned', 'soon:due_soon', 'soon:overdue']);

    // Done items are left alone.
    const done = await recordAction('Close the pilot', owner.user.id, inDays(1));
    await owner.client.post(`/api/actions/${done}/commit`);
    await owner.client.request('PATCH', `/api/actions/${done}`, { version: 2, status: 'done' });
    expect(await runNotificationScan(server.db.sql, inFiveDays)).toMatchObject({ dueSoon: 0, overdue: 0 });
  });

  it('pages newest first and marks everything read at once', async () => {
    const all = await notificationsOf(owner.client, '?limit=100');
    expect(all.notifications.length).toBeGreaterThanOrEqual(3);
    const first = await notificationsOf(owner.client, '?limit=2');
    expect(first.notifications.map((n) => n.id)).toEqual(all.notifications.slice(0, 2).map((n) => n.id));
    const second = await notificationsOf(owner.client, `?limit=2&before=${first.nextBefore}`);
    expect(second.notifications.map((n) => n.id)).toEqual(all.notifications.slice(2, 4).map((n) => n.id));
    expect((await owner.client.get('/api/me/notifications?limit=0')).status).toBe(400);

    const read = await owner.client.post('/api/me/notifications/read', { all: true });
    expect(read.status).toBe(200);
    expect(read.body.unread).toBe(0);
    expect((await owner.client.post('/api/me/notifications/read', {})).status).toBe(400);
    const anonymous = new ApiClient(server.origin);
    expect((await anonymous.get('/api/me/notifications')).status).toBe(401);
  });

  it('settles "commit to it" once the owner commits, and stops counting it as unread', async () => {
    const jonas = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Jonas Settles');
    const actionId = await recordAction('Move the depot scanners', jonas.user.id, inDays(20));
    await eventually(async () => (await notificationsOf(jonas.client)).unread === 1, 5_000, 'the notification');
    type Settled = NotificationsPage['notifications'][number] & { settled: string | null };
    const entry = async () => (await notificationsOf(jonas.client)).notifications[0] as Settled;
    expect(await entry()).toMatchObject({ kind: 'assigned', actionItemId: actionId, settled: null, readAt: null });

    expect((await jonas.client.post(`/api/actions/${actionId}/commit`)).status).toBe(200);
    const page = await notificationsOf(jonas.client);
    expect(page.unread).toBe(0);
    // Still listed, unread, but it says what answered it.
    expect(await entry()).toMatchObject({ actionItemId: actionId, settled: 'committed', readAt: null });

    // Handed to someone else, it is settled for Jonas too, even while the item stays open.
    const second = await recordAction('Brief the night shift', jonas.user.id, inDays(20));
    await eventually(async () => (await notificationsOf(jonas.client)).unread === 1, 5_000, 'the second one');
    const handOver = await fixture.facilitator.client.request('PATCH', `/api/actions/${second}`, {
      version: 1,
      ownerId: owner.user.id,
    });
    expect(handOver.status).toBe(200);
    expect((await notificationsOf(jonas.client)).unread).toBe(0);
    expect(await entry()).toMatchObject({ actionItemId: second, settled: 'handed over' });
  });
});

describe('calendar feed', () => {
  it('serves my open action items to a calendar app that holds the token, and stops when rotated', async () => {
    const anonymous = new ApiClient(server.origin);
    expect((await anonymous.get('/api/me/calendar')).status).toBe(401);

    const open = await recordAction('Pilot, phase 2; north', owner.user.id, inDays(12));
    const created = await owner.client.get('/api/me/calendar');
    expect(created.status).toBe(200);
    const url: string = created.body.url;
    expect(url).toMatch(new RegExp(`^${server.origin}/calendar/[a-z2-7]{32}\\.ics$`));
    // Like an API token, the URL is shown once.
    expect((await owner.client.get('/api/me/calendar')).body.url).toBeNull();

    const feed = await fetch(url);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await feed.text();
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const lines = text.replace(/\r\n /g, '').split('\r\n');
    expect(lines).toContain(`UID:${open}`);
    expect(lines).toContain(`DTSTART;VALUE=DATE:${inDays(12).replace(/-/g, '')}`);
    expect(lines).toContain('SUMMARY:Pilot\\, phase 2\\; north');
    expect(lines).toContain(`URL:${server.origin}/actions/${open}`);
    // Only mine, only open: not the facilitator's item, not the done one.
    expect(lines).not.toContain('SUMMARY:Write the board memo');
    expect(lines).not.toContain('SUMMARY:Close the pilot');

    const wrong = await fetch(`${server.origin}/calendar/${'a'.repeat(32)}.ics`);
    expect(wrong.status).toBe(404);
    expect((await fetch(url.replace(/\.ics$/, '.txt'))).status).toBe(404);

    const rotated = await owner.client.post('/api/me/calendar/rotate');
    expect(rotated.body.url).not.toBe(url);
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(rotated.body.url)).status).toBe(200);

    // Someone else's feed holds their own items.
    const other = await signUp(server.origin, 'Nadia Nobody');
    const theirs = await (await fetch((await other.client.get('/api/me/calendar')).body.url)).text();
    expect(theirs).not.toContain('BEGIN:VEVENT');
  });
});
