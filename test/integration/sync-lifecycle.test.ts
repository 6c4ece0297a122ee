// Rights change under open connections: demoting a participant to viewer takes effect on their next message,
// promoting them back too. (Rooms leaving memory: sync-leaks.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notesOf, readAgenda } from '../../server/domain/board.ts';
import { addMember, reviewFixture, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually } from '../support/sync.ts';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
let owner: Person;

beforeAll(async () => {
  server = await startTestServer();
  fixture = await reviewFixture(server.origin);
  owner = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Demoted Owner');
});
afterAll(() => server?.stop());

describe('changing a participant’s role', () => {
  it('drops their edits from the next message once a viewer, and reconnects them when promoted', async () => {
    const editor = connectBoard(server.origin, owner.client, fixture.review.id);
    const watcher = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
    await Promise.all([editor.synced, watcher.synced]);
    const itemId = readAgenda(editor.doc)[0]!.id;
    const role = (to: string) =>
      fixture.facilitator.client.request('PUT', `/api/reviews/${fixture.review.id}/participants/${owner.user.id}`, {
        role: to,
      });
    const seen = () => notesOf(watcher.doc, itemId)!.toString();

    notesOf(editor.doc, itemId)!.insert(0, 'as owner ');
    await eventually(() => seen().includes('as owner'), 5_000, 'the owner’s edit');

    expect((await role('viewer')).status).toBe(200);
    notesOf(editor.doc, itemId)!.insert(0, 'AS VIEWER ');
    const room = server.rooms.loaded.get(fixture.review.id)!;
    await eventually(() => room.droppedUpdates > 0, 5_000, 'the viewer’s edit to be dropped');
    expect(seen()).not.toContain('AS VIEWER');

    // Promoted: the server asks the client to reconnect (its later updates build on the dropped ones), and it
    // syncs afresh with its new rights; what it typed meanwhile joins the board then.
    expect(editor.closes).toEqual([]);
    expect((await role('owner')).status).toBe(200);
    await eventually(() => editor.closes.some((close) => close.code === 4205), 5_000, 'the reconnect request');
    notesOf(editor.doc, itemId)!.insert(notesOf(editor.doc, itemId)!.length, ' owner again');
    await eventually(() => seen().includes('owner again'), 10_000, 'the edit after promotion');
    editor.destroy();
    watcher.destroy();
  });
});
