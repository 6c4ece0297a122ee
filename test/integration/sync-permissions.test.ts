// Who may change what on the live board, enforced by the server (server/domain/board-permissions.ts): stock
// y-websocket WebsocketProvider clients with a member's session try what only the facilitator or the server may
// do. Each forbidden change is refused as a whole, the writer's own board converges back, a third client never
// sees it, the update log never held it (every state the log passes through is checked) and a board loaded from
// PostgreSQL equals the live one; the API's phase is the board's. The facilitator doing the same succeeds. The
// same holds through two processes sharing the room over Redis (skipped without Redis, never in CI).
import { randomUUID } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addItem,
  castVote,
  itemsOf,
  notesOf,
  readAgenda,
  readRoom,
  removeItem,
  roomOf,
  setCurrentItem,
  setPhase,
  startTimer,
} from '../../server/domain/board.ts';
import { applyTriage } from '../../server/domain/triage.ts';
import { NOTICE_MESSAGE_TYPE } from '../../server/domain/update-quota.ts';
import { listBoardUpdates, loadBoard } from '../../server/store/board-log.ts';
import { RedisHub } from '../../server/sync/redis-hub.ts';
import { createLogger } from '../../server/logger.ts';
import { createTestDatabase } from '../support/database.ts';
import { addMember, reviewFixture, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';
import { REDIS_URL, requireRedisInCi } from '../support/redis.ts';
import { activeTriage } from '../support/triage.ts';

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
let owner: Person;
const clients: BoardClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  fixture = await reviewFixture(server.origin);
  owner = await addMember(server.origin, fixture.facilitator.client, fixture.org.id, 'Olu Owner');
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.stop();
});

interface Watched extends BoardClient {
  /** The sentences of the notices the server sent this client. */
  notices: string[];
}

/** A stock provider, with a handler for Lastmile's notice message as the app's own client has. */
function connect(origin: string, person: Person, reviewId: string): Watched {
  const client = connectBoard(origin, person.client, reviewId);
  const notices: string[] = [];
  client.provider.messageHandlers[NOTICE_MESSAGE_TYPE] = (_encoder, decoder) => {
    notices.push((JSON.parse(decoding.readVarString(decoder)) as { message: string }).message);
  };
  clients.push(client);
  return Object.assign(client, { notices });
}

/** What the board says, as every test compares it. */
const view = (doc: Y.Doc) => ({
  agenda: readAgenda(doc).map((item) => ({ ...item, notes: notesOf(doc, item.id)?.toString() ?? null })),
  room: readRoom(doc),
});

/** JSON with sorted keys: two boards may hold the same map entries in another order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/** Every state the review's update log passes through, from the first update on. */
async function loggedStates(reviewId: string, db = server.db) {
  const doc = new Y.Doc();
  const states = [];
  for (const { update } of await listBoardUpdates(db.sql, reviewId)) {
    Y.applyUpdate(doc, update);
    states.push(view(doc));
  }
  return states;
}

async function storedBoard(reviewId: string, db = server.db) {
  const stored = await loadBoard(db.sql, reviewId);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.state);
  for (const { update } of stored.tail) Y.applyUpdate(doc, update);
  return view(doc);
}

/** Waits until every client shows the same board and the log holds all of it; returns that board. */
async function settled(boards: BoardClient[], reviewId = fixture.review.id, db = server.db) {
  await eventually(
    () => new Set(boards.map((board) => canonical(view(board.doc)))).size === 1,
    10_000,
    'every board to agree',
  ).catch((error: Error) => {
    throw new Error(`${error.message}: ${boards.map((board) => canonical(view(board.doc))).join('\n---\n')}`);
  });
  await eventually(
    async () => canonical(await storedBoard(reviewId, db)) === canonical(view(boards[0]!.doc)),
    10_000,
    'the log to hold the board',
  );
  return view(boards[0]!.doc);
}

/** Records every value `read` takes on a client's board, to show a forbidden value never reached it. */
function watch<T>(board: BoardClient, read: (doc: Y.Doc) => T): T[] {
  const seen = [read(board.doc)];
  board.doc.on('update', () => seen.push(read(board.doc)));
  return seen;
}

describe('a member’s board cannot move the room', () => {
  let member: Watched;
  let facilitator: Watched;
  let observer: Watched;
  let topicId: string;

  beforeAll(async () => {
    member = connect(server.origin, owner, fixture.review.id);
    facilitator = connect(server.origin, fixture.facilitator, fixture.review.id);
    observer = connect(server.origin, fixture.facilitator, fixture.review.id);
    await Promise.all([member.synced, facilitator.synced, observer.synced]);
    // Adding a topic is anyone's: it goes through.
    topicId = randomUUID();
    member.doc.transact(() =>
      addItem(member.doc, { id: topicId, kind: 'free', title: 'Hiring plan', presenterId: owner.user.id }),
    );
    await settled([member, facilitator, observer]);
    expect(readAgenda(observer.doc).map((item) => item.id)).toContain(topicId);
  });

  it('refuses the current item, the phase and the timer, and the writer converges back', async () => {
    const before = await settled([member, facilitator, observer]);
    const current = watch(observer, (doc) => readRoom(doc).currentItemId);
    const phases = watch(observer, (doc) => readRoom(doc).phase);
    const timers = watch(observer, (doc) => readRoom(doc).timer);

    setCurrentItem(member.doc, topicId);
    expect(readRoom(member.doc).currentItemId).toBe(topicId);
    await eventually(() => readRoom(member.doc).currentItemId === before.room.currentItemId, 10_000, 'move undone');
    setPhase(member.doc, 'wrap-up');
    await eventually(() => readRoom(member.doc).phase === before.room.phase, 10_000, 'phase undone');
    startTimer(member.doc, topicId, Date.now());
    await eventually(() => readRoom(member.doc).timer === before.room.timer, 10_000, 'timer undone');

    expect(await settled([member, facilitator, observer])).toEqual(before);
    expect(current.filter((id) => id === topicId)).toEqual([]);
    expect(phases.filter((phase) => phase === 'wrap-up')).toEqual([]);
    expect(timers.filter((timer) => timer !== null)).toEqual([]);
    for (const state of await loggedStates(fixture.review.id)) {
      expect(state.room.currentItemId).not.toBe(topicId);
      expect(state.room.phase).not.toBe('wrap-up');
      expect(state.room.timer).toBeNull();
    }
    expect(member.notices).toEqual([
      'Only the facilitator moves the room. Your change was not saved and has been undone.',
      'The phase changes through the facilitator’s phase buttons only. Your change was not saved and has been undone.',
      'Only the facilitator runs the timer. Your change was not saved and has been undone.',
    ]);
    // The writer stays connected, and the API's phase is the board's.
    expect(member.closes).toEqual([]);
    const review = await owner.client.get(`/api/reviews/${fixture.review.id}`);
    expect(review.body.review.phase).toBe(readRoom(member.doc).phase);
  });

  it('keeps the phase only the API sets: the board follows the facilitator’s phase button', async () => {
    const answer = await fixture.facilitator.client.request('PUT', `/api/reviews/${fixture.review.id}/phase`, {
      phase: 'metrics',
    });
    expect(answer.status).toBe(200);
    await eventually(() => readRoom(member.doc).phase === 'metrics', 10_000, 'the board to show the phase');
    // Not even the facilitator sets the phase on the board itself: the API is the one place it changes.
    setPhase(facilitator.doc, 'wrap-up');
    await eventually(() => readRoom(facilitator.doc).phase === 'metrics', 10_000, 'phase undone');
    await settled([member, facilitator, observer]);
    const review = await owner.client.get(`/api/reviews/${fixture.review.id}`);
    expect(review.body.review.phase).toBe('metrics');
    expect(readRoom(observer.doc).phase).toBe('metrics');
  });

  it('lets the facilitator move the room and run the timer', async () => {
    setCurrentItem(facilitator.doc, topicId);
    startTimer(facilitator.doc, topicId, Date.now());
    const after = await settled([member, facilitator, observer]);
    expect(after.room.currentItemId).toBe(topicId);
    expect(after.room.timer).toMatchObject({ itemId: topicId });
    expect(facilitator.notices).toEqual([
      'The phase changes through the facilitator’s phase buttons only. Your change was not saved and has been undone.',
    ]);
  });

  describe('votes', () => {
    it('refuses voting as someone else, past the limit, and deleting another’s vote; own votes go in', async () => {
      const items = readAgenda(member.doc);
      const votesOf = (doc: Y.Doc, itemId: string) => itemsOf(doc).get(itemId)!.get('votes') as Y.Map<number>;
      // Own votes, within the limit: in.
      expect(castVote(member.doc, items[0]!.id, owner.user.id, 1)).toBe(true);
      expect(castVote(facilitator.doc, items[0]!.id, fixture.facilitator.user.id, 1)).toBe(true);
      const before = await settled([member, facilitator, observer]);
      expect(before.agenda[0]!.votes).toEqual({ [owner.user.id]: 1, [fixture.facilitator.user.id]: 1 });
      const seen = watch(observer, (doc) => canonical(readAgenda(doc).map((item) => item.votes)));

      votesOf(member.doc, items[1]!.id).set(fixture.facilitator.user.id, 1);
      await settled([member, facilitator, observer]);
      votesOf(member.doc, items[1]!.id).set(owner.user.id, 99);
      await settled([member, facilitator, observer]);
      votesOf(member.doc, items[0]!.id).delete(fixture.facilitator.user.id);
      expect(await settled([member, facilitator, observer])).toEqual(before);

      expect(new Set(seen)).toEqual(new Set([canonical(before.agenda.map((item) => item.votes))]));
      for (const state of await loggedStates(fixture.review.id))
        for (const item of state.agenda) {
          if (item.id !== items[0]!.id) expect(item.votes[fixture.facilitator.user.id]).toBeUndefined();
          expect(item.votes[owner.user.id] ?? 0).toBeLessThanOrEqual(1);
        }
      expect(member.notices.slice(-3)).toEqual([
        'You vote only as yourself. Your change was not saved and has been undone.',
        'No votes left: 3 per person. Your change was not saved and has been undone.',
        'You vote only as yourself. Your change was not saved and has been undone.',
      ]);
    });
  });

  describe('the agenda', () => {
    it('refuses deleting an agenda item the member did not add, and gives it back with its notes and votes', async () => {
      const target = readAgenda(member.doc).find((item) => item.kind === 'status-update')!;
      notesOf(member.doc, target.id)!.insert(0, 'Fuel is on plan. ');
      const before = await settled([member, facilitator, observer]);
      removeItem(member.doc, target.id);
      expect(readAgenda(member.doc).map((item) => item.id)).not.toContain(target.id);
      await eventually(
        () => readAgenda(member.doc).some((item) => item.id === target.id),
        10_000,
        'the item to come back',
      );
      const after = await settled([member, facilitator, observer]);
      expect(after).toEqual(before);
      expect(notesOf(member.doc, target.id)!.toString()).toBe('Fuel is on plan. ');
      for (const state of await loggedStates(fixture.review.id).then((states) => states.slice(-3)))
        expect(state.agenda.map((item) => item.id)).toContain(target.id);
      expect(member.notices.at(-1)).toBe(
        'Only the facilitator removes agenda items. Your change was not saved and has been undone.',
      );
    });

    it('lets the member take back the topic they added, and the facilitator remove any', async () => {
      const mine = randomUUID();
      addItem(member.doc, { id: mine, kind: 'free', title: 'Mine to drop', presenterId: owner.user.id });
      await settled([member, facilitator, observer]);
      removeItem(member.doc, mine);
      const withoutMine = await settled([member, facilitator, observer]);
      expect(withoutMine.agenda.map((item) => item.id)).not.toContain(mine);
      const target = readAgenda(facilitator.doc).find((item) => item.kind === 'status-update')!;
      removeItem(facilitator.doc, target.id);
      const after = await settled([member, facilitator, observer]);
      expect(after.agenda.map((item) => item.id)).not.toContain(target.id);
    });
  });

  describe('server facts', () => {
    it('refuses a member’s edit of a triage item’s triage facts, and the facilitator’s too', async () => {
      const itemId = randomUUID();
      await server.rooms.edit(fixture.review.id, (doc) =>
        applyTriage(
          doc,
          [
            {
              kind: 'pivot',
              itemId: null,
              title: 'Fuel cost',
              toIndex: 0,
              inPlace: false,
              info: activeTriage(fixture.metric.id),
            },
          ],
          () => itemId,
        ),
      );
      await eventually(() => readAgenda(member.doc).some((item) => item.kind === 'triage'), 10_000, 'the pivot');
      const triageItem = readAgenda(member.doc).find((item) => item.kind === 'triage')!;
      const before = await settled([member, facilitator, observer]);
      const triageOf = (doc: Y.Doc) => itemsOf(doc).get(triageItem.id)!.get('triage') as Y.Map<unknown> | unknown;
      const rewrite = (doc: Y.Doc) => {
        const triage = triageOf(doc);
        if (triage instanceof Y.Map) triage.set('why', 'All fine, nothing to see');
        else
          itemsOf(doc)
            .get(triageItem.id)!
            .set('triage', { ...(triage as object), why: 'All fine' });
      };
      rewrite(member.doc);
      await settled([member, facilitator, observer]);
      rewrite(facilitator.doc);
      itemsOf(facilitator.doc).get(triageItem.id)!.set('kind', 'free');
      expect(await settled([member, facilitator, observer])).toEqual(before);
      for (const state of await loggedStates(fixture.review.id))
        for (const item of state.agenda) expect(item.triage?.why ?? '').not.toMatch(/All fine/);
      expect(member.notices.at(-1)).toBe(
        'Only the server writes triage facts. Your change was not saved and has been undone.',
      );
    });

    it('refuses writing the board’s version and the server-only review revision', async () => {
      const before = await settled([member, facilitator, observer]);
      member.doc.getMap('meta').set('version', 99);
      await settled([member, facilitator, observer]);
      roomOf(facilitator.doc).set('reviewRevision', 1_000);
      expect(await settled([member, facilitator, observer])).toEqual(before);
      expect(member.doc.getMap('meta').get('version')).not.toBe(99);
      expect(roomOf(observer.doc).get('reviewRevision')).not.toBe(1_000);
    });
  });
});

const redisAvailable = await requireRedisInCi('the two-process permission test');

describe.skipIf(!redisAvailable)('through two processes sharing the room over Redis', () => {
  it('refuses a member’s move on one process, and a client of the other never sees it', async () => {
    const db = await createTestDatabase();
    const prefix = `test-${randomUUID()}`;
    const logger = createLogger('error');
    const hubs = [new RedisHub({ url: REDIS_URL, prefix, logger }), new RedisHub({ url: REDIS_URL, prefix, logger })];
    await Promise.all(hubs.map((hub) => hub.connect()));
    const servers = [
      await startTestServer({}, { db, rooms: { hub: hubs[0] } }),
      await startTestServer({}, { db, rooms: { hub: hubs[1] } }),
    ];
    try {
      const team = await reviewFixture(servers[0]!.origin);
      const member = await addMember(servers[0]!.origin, team.facilitator.client, team.org.id, 'Remote Owner');
      // Sessions live in the shared database: the same cookies work on both processes.
      const onFirst = connect(servers[0]!.origin, member, team.review.id);
      const onSecond = connect(servers[1]!.origin, team.facilitator, team.review.id);
      await Promise.all([onFirst.synced, onSecond.synced]);
      const before = await settled([onFirst, onSecond], team.review.id, db);
      const topic = readAgenda(onSecond.doc)[0]!.id;
      const phases = watch(onSecond, (doc) => readRoom(doc).phase);
      setPhase(onFirst.doc, 'wrap-up');
      await eventually(() => readRoom(onFirst.doc).phase === before.room.phase, 10_000, 'phase undone');
      castVote(onFirst.doc, topic, team.facilitator.user.id, 1);
      expect(await settled([onFirst, onSecond], team.review.id, db)).toEqual(before);
      expect(phases.filter((phase) => phase === 'wrap-up')).toEqual([]);
      for (const state of await loggedStates(team.review.id, db)) {
        expect(state.room.phase).not.toBe('wrap-up');
        expect(state.agenda[0]!.votes).toEqual({});
      }
      // The facilitator's own vote, on the other process, goes through to both.
      castVote(onSecond.doc, topic, team.facilitator.user.id, 1);
      const after = await settled([onFirst, onSecond], team.review.id, db);
      expect(after.agenda[0]!.votes).toEqual({ [team.facilitator.user.id]: 1 });
    } finally {
      await servers[1]!.stop({ keepDatabase: true });
      await servers[0]!.stop();
      await Promise.all(hubs.map((hub) => hub.close()));
    }
  });
});
