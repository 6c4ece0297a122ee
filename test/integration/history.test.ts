// A review's history through the API: paged update and event logs, the board at any moment equal to replaying
// the log up to it, the replay's opening (summary, events, names and the board read at a moment) in one answer,
// and only for members of the review's organization.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notesOf, readAgenda, readRoom } from '../../server/domain/board.ts';
import { replaySpan } from '../../server/domain/replay.ts';
import { createOrganization, signUp } from '../support/client.ts';
import { addMember, reviewFixture, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually } from '../support/sync.ts';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
let owner: Person;
const marks: { at: number; notes: string }[] = [];

const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

beforeAll(async () => {
  // Snapshots every 7 updates, so reading the past crosses snapshots.
  server = await startTestServer({}, { rooms: { snapshotEvery: 7 } });
  fixture = await reviewFixture(server.origin);
  owner = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Sofia Owner');
  await fixture.facilitator.client.post(`/api/reviews/${fixture.review.id}/start`);

  // Two people type into the first item's notes, one word at a time, with pauses the log will show.
  const a = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
  const b = connectBoard(server.origin, owner.client, fixture.review.id);
  await Promise.all([a.synced, b.synced]);
  const itemId = readAgenda(a.doc)[0]!.id;
  for (let i = 0; i < 30; i++) {
    const writer = i % 2 ? b : a;
    notesOf(writer.doc, itemId)!.insert(0, `w${i} `);
    await eventually(
      async () => {
        const [row] = await server.db
          .sql`select count(*)::int as n from board_updates where review_id = ${fixture.review.id}`;
        return row!.n >= i + 2;
      },
      5_000,
      'the update to be logged',
    );
    await new Promise((resolve) => setTimeout(resolve, 15));
    marks.push({ at: Date.now(), notes: notesOf(writer.doc, itemId)!.toString() });
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
  a.destroy();
  b.destroy();
});
afterAll(() => server?.stop());

describe('history API', () => {
  it('pages through the update log with times and authors', async () => {
    const client = owner.client;
    const base = `/api/reviews/${fixture.review.id}/history`;
    const summary = (await client.get(base)).body;
    expect(summary.log.updates).toBeGreaterThanOrEqual(31);
    const seen: { seq: number; authorId: string | null; update: string }[] = [];
    let afterSeq: number | null = 0;
    while (afterSeq !== null) {
      const page: { body: { updates: typeof seen; nextAfterSeq: number | null } } = await client.get(
        `${base}/updates?afterSeq=${afterSeq}&limit=8`,
      );
      expect(page.body.updates.length).toBeLessThanOrEqual(8);
      seen.push(...page.body.updates);
      afterSeq = page.body.nextAfterSeq;
    }
    expect(seen.map((u) => u.seq)).toEqual(seen.map((_, index) => index + 1));
    const authors = new Set(seen.map((u) => u.authorId));
    expect(authors).toContain(fixture.facilitator.user.id);
    expect(authors).toContain(owner.user.id);
    // Replaying the whole log gives the board as it is now.
    const doc = new Y.Doc();
    for (const u of seen) Y.applyUpdate(doc, fromBase64(u.update));
    const now = (await client.get(`${base}/board?seq=${seen.length}`)).body;
    const current = new Y.Doc();
    Y.applyUpdate(current, fromBase64(now.state));
    expect(readAgenda(doc)).toEqual(readAgenda(current));
  });

  it('rebuilds the board as it was at any moment', async () => {
    for (const mark of [marks[0]!, marks[9]!, marks[20]!, marks.at(-1)!]) {
      const response = await owner.client.get(
        `/api/reviews/${fixture.review.id}/history/board?at=${new Date(mark.at).toISOString()}`,
      );
      expect(response.status).toBe(200);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, fromBase64(response.body.state));
      expect(readAgenda(doc)[0]!.notes).toBe(mark.notes);
    }
  });

  it('lists the event log with who joined and left, paged', async () => {
    const base = `/api/reviews/${fixture.review.id}/history/events`;
    await eventually(
      async () =>
        (await owner.client.get(`${base}?limit=1000`)).body.events.filter(
          (e: { kind: string }) => e.kind === 'room.left',
        ).length === 2,
      5_000,
      'both leaves to be logged',
    );
    const first = (await owner.client.get(`${base}?limit=2`)).body;
    expect(first.events).toHaveLength(2);
    const rest = (await owner.client.get(`${base}?afterId=${first.nextAfterId}&limit=1000`)).body;
    expect(rest.nextAfterId).toBeNull();
    const kinds = [...first.events, ...rest.events].map((e: { kind: string; actor: { name: string } | null }) => [
      e.kind,
      e.actor?.name ?? null,
    ]);
    expect(kinds).toContainEqual(['review.started', 'Fran Facilitator']);
    expect(kinds).toContainEqual(['room.joined', 'Sofia Owner']);
    expect(kinds).toContainEqual(['room.left', 'Sofia Owner']);
  });

  it('opens the replay with the summary, events, names and the board read at the moment asked for', async () => {
    const base = `/api/reviews/${fixture.review.id}/history`;
    const summary = (await owner.client.get(base)).body;
    const events = (await owner.client.get(`${base}/events?limit=1000`)).body;
    const start = (await owner.client.get(`${base}/opening`)).body;
    expect(start.summary).toEqual(summary);
    expect(start.events).toEqual(events);
    expect(start.people).toContainEqual({ id: owner.user.id, name: 'Sofia Owner' });
    expect(start.people).toContainEqual({ id: fixture.facilitator.user.id, name: 'Fran Facilitator' });
    const span = replaySpan(summary.review, summary.log)!;
    expect(start.board.at).toBe(span.start);

    for (const mark of [marks[0]!, marks[9]!, marks.at(-1)!]) {
      const opening = (await owner.client.get(`${base}/opening?at=${mark.at}`)).body;
      expect(opening.board.at).toBe(Math.min(mark.at, span.end));
      // The same board as the rebuild at that moment, read as the replay's worker reads it.
      const rebuilt = (await owner.client.get(`${base}/board?at=${new Date(mark.at).toISOString()}`)).body;
      expect(opening.board.seq).toBe(rebuilt.seq);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, fromBase64(rebuilt.state));
      expect(opening.board.agenda).toEqual(JSON.parse(JSON.stringify(readAgenda(doc))));
      expect(opening.board.room).toEqual(JSON.parse(JSON.stringify(readRoom(doc))));
      expect(opening.board.agenda[0].notes).toBe(mark.notes);
    }
    // A moment outside the review opens at its edge.
    const late = (await owner.client.get(`${base}/opening?at=${Date.now() + 86_400_000}`)).body;
    expect(late.board.at).toBe(span.end);
    expect((await owner.client.get(`${base}/opening?at=soon`)).status).toBe(400);
  });

  it('opens a review that never started with nothing to show', async () => {
    const scheduled = await reviewFixture(server.origin);
    const opening = (await scheduled.facilitator.client.get(`/api/reviews/${scheduled.review.id}/history/opening`))
      .body;
    expect(opening.summary.review.status).toBe('scheduled');
    expect(opening.board).toBeNull();
  });

  it('validates its queries and answers members of the organization only', async () => {
    const base = `/api/reviews/${fixture.review.id}/history`;
    const bad = await owner.client.get(`${base}/updates?limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('query.limit');
    expect((await owner.client.get(`${base}/board`)).status).toBe(400);
    expect((await owner.client.get(`${base}/board?at=yesterday`)).status).toBe(400);

    const stranger = await signUp(server.origin, 'Stranger');
    await createOrganization(stranger.client, 'Elsewhere');
    for (const path of [base, `${base}/updates`, `${base}/events`, `${base}/board?seq=1`, `${base}/opening`])
      expect((await stranger.client.get(path)).status).toBe(403);
    const anonymous = await fetch(`${server.origin}${base}/updates`);
    expect(anonymous.status).toBe(401);
    const body = await anonymous.text();
    expect(body).not.toMatch(/at .*\.ts/);
  });
});
