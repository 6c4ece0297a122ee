// Who may open a board and who may change it: enforced by the server, not by the page.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notesOf, readAgenda } from '../../server/domain/board.ts';
import { createOrganization, signUp } from '../support/client.ts';
import { addMember, reviewFixture, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
let owner: Person;
let viewer: Person;
const clients: BoardClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  fixture = await reviewFixture(server.origin);
  owner = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Olu Owner');
  viewer = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Vic Viewer');
  const role = await fixture.facilitator.client.request(
    'PUT',
    `/api/reviews/${fixture.review.id}/participants/${viewer.user.id}`,
    { role: 'viewer' },
  );
  expect(role.status).toBe(200);
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.stop();
});

function connect(person: Person) {
  const client = connectBoard(server.origin, person.client, fixture.review.id);
  clients.push(client);
  return client;
}

function upgradeStatus(path: string, headers: Record<string, string>) {
  return new Promise<number | undefined>((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode);
      socket.terminate();
    });
    socket.on('open', () => {
      resolve(101);
      socket.close();
    });
    socket.on('error', () => {});
  });
}

async function authorRows() {
  return server.db.sql<{ authorId: string | null }[]>`
    select author_id from board_updates where review_id = ${fixture.review.id}
  `;
}

describe('opening a board', () => {
  it('needs a session (401), membership of the review’s organization (403) and a review id (400)', async () => {
    const path = `/sync/${fixture.review.id}`;
    expect(await upgradeStatus(path, { origin: server.origin })).toBe(401);
    const outsider = await signUp(server.origin, 'Outsider');
    await createOrganization(outsider.client, 'Elsewhere Inc');
    expect(await upgradeStatus(path, { origin: server.origin, cookie: outsider.client.cookie! })).toBe(403);
    expect(await upgradeStatus('/sync/not-a-uuid', { origin: server.origin, cookie: owner.client.cookie! })).toBe(400);
    expect(await upgradeStatus(path, { origin: server.origin, cookie: owner.client.cookie! })).toBe(101);
    // A plain request from a member is told the address takes websockets only (and reserves no room).
    const plain = await fetch(`${server.origin}${path}`, {
      headers: { cookie: owner.client.cookie!, origin: server.origin },
    });
    expect(plain.status).toBe(426);
  });
});

describe('read-only connections', () => {
  it('drops a viewer’s edits: they reach neither other clients nor the database, yet the viewer sees updates', async () => {
    const editor = connect(owner);
    const watching = connect(viewer);
    await Promise.all([editor.synced, watching.synced]);
    const itemId = readAgenda(editor.doc)[0]!.id;
    const before = (await authorRows()).length;

    notesOf(watching.doc, itemId)!.insert(0, 'VIEWER WAS HERE ');
    notesOf(editor.doc, itemId)!.insert(0, 'owner edit ');
    await editor.commits.whenCovered();
    await eventually(() => notesOf(watching.doc, itemId)!.toString().includes('owner edit'), 5_000, 'viewer update');

    const room = server.rooms.loaded.get(fixture.review.id)!;
    await eventually(() => room.droppedUpdates > 0, 5_000, 'the viewer update to be dropped');
    expect(notesOf(room.doc, itemId)!.toString()).not.toContain('VIEWER');
    expect(notesOf(editor.doc, itemId)!.toString()).not.toContain('VIEWER');
    const rows = await authorRows();
    expect(rows.length).toBeGreaterThan(before);
    expect(rows.some((row) => row.authorId === viewer.user.id)).toBe(false);
    // The viewer's awareness is still relayed, marked read-only.
    watching.provider.awareness.setLocalStateField('itemId', itemId);
    await eventually(
      () => editor.provider.awareness.getStates().get(watching.doc.clientID)?.readOnly === true,
      5_000,
      'viewer presence',
    );
    editor.destroy();
    watching.destroy();
  });

  it('makes a closed review read-only for everyone, including open connections', async () => {
    const facilitating = connect(fixture.facilitator);
    await facilitating.synced;
    const itemId = readAgenda(facilitating.doc)[0]!.id;
    expect((await fixture.facilitator.client.post(`/api/reviews/${fixture.review.id}/start`)).status).toBe(200);
    expect((await fixture.facilitator.client.post(`/api/reviews/${fixture.review.id}/close`)).status).toBe(200);
    const before = (await authorRows()).length;

    notesOf(facilitating.doc, itemId)!.insert(0, 'AFTER CLOSE ');
    const late = connect(owner);
    await late.synced;
    notesOf(late.doc, itemId)!.insert(0, 'LATE AFTER CLOSE ');
    const room = server.rooms.loaded.get(fixture.review.id)!;
    await eventually(() => room.droppedUpdates >= 2, 5_000, 'both edits to be dropped');
    expect(notesOf(room.doc, itemId)!.toString()).not.toContain('AFTER CLOSE');
    expect((await authorRows()).length).toBe(before);
    facilitating.destroy();
    late.destroy();
  });
});
