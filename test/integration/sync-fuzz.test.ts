// Protocol fuzz: thousands of random and mutated frames (bit flips, truncation, huge length prefixes, wrong
// message types, garbage; small frames and large ones, which the server decodes in a worker) over authenticated
// connections. The server never throws out of a handler, keeps answering /healthz, closes an offending connection
// with a code, and the board stays one consistent state: a watching client, the live room and a reload from
// PostgreSQL all agree. Memory growth stays bounded.
import v8 from 'node:v8';
import vm from 'node:vm';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCommitmentsCheck,
  addItem,
  draftDecision,
  itemsOf,
  markDecision,
  newAgendaItem,
  notesOf,
  readAgenda,
  readRoom,
  roomOf,
  startTimer,
  type CommitmentEntry,
} from '../../server/domain/board.ts';
import type { TriageInfo } from '../../server/domain/triage-info.ts';
import { applyTriage } from '../../server/domain/triage.ts';
import { NOTICE_MESSAGE_TYPE } from '../../server/domain/update-quota.ts';
import { loadBoard } from '../../server/store/board-log.ts';
import { encodeAwarenessUpdate } from '../../server/sync/protocol.ts';
import { createMetric } from '../support/portfolio.ts';
import { addMember, createReview, reviewFixture, type Person } from '../support/reviews.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { connectBoard, eventually, type BoardClient } from '../support/sync.ts';
import { seededRandom } from '../../db/seed/demo-history.ts';
import { activeTriage } from '../support/triage.ts';

const FRAMES = Number(process.env.FUZZ_FRAMES ?? 2_000);

let server: TestServer;
let fixture: Awaited<ReturnType<typeof reviewFixture>>;
let observer: BoardClient;

beforeAll(async () => {
  server = await startTestServer({ SYNC_UPGRADES_PER_MINUTE_PER_IP: '100000' });
  fixture = await reviewFixture(server.origin);
  observer = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
  await observer.synced;
});
afterAll(async () => {
  observer?.destroy();
  await server?.stop();
});

function frame(...parts: (number | Uint8Array)[]): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const part of parts)
    if (typeof part === 'number') encoding.writeVarUint(encoder, part);
    else encoding.writeVarUint8Array(encoder, part);
  return encoding.toUint8Array(encoder);
}

/**
 * Valid frames to mutate: a sync step 1, a real edit, an awareness update, and a large edit (thousands of
 * scattered letters, over 32 KB: the server decodes it in its worker, under a deadline).
 */
function corpus(itemId: string): Uint8Array[] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(observer.doc));
  let edit: Uint8Array = new Uint8Array();
  doc.on('update', (update: Uint8Array) => (edit = update));
  const notes = notesOf(doc, itemId)!;
  notes.insert(0, 'fuzz seed text ');
  const small = edit;
  doc.transact(() => {
    for (let i = 0; i < 8_000; i++) notes.insert((i * 7919) % (notes.length + 1), 'f');
  });
  const large = edit;
  expect(large.byteLength).toBeGreaterThan(32 * 1024);
  const awareness = encodeAwarenessUpdate([{ clientId: doc.clientID, clock: 1, state: { itemId } }]);
  return [frame(0, 0, Y.encodeStateVector(doc)), frame(0, 2, small), frame(1, awareness), frame(0, 2, large)];
}

function mutate(source: Uint8Array, next: () => number): Uint8Array {
  const pick = Math.floor(next() * 6);
  const bytes = new Uint8Array(source);
  switch (pick) {
    case 0: {
      // Bit flips.
      for (let i = 0; i < 1 + Math.floor(next() * 4); i++)
        bytes[Math.floor(next() * bytes.length)]! ^= 1 << Math.floor(next() * 8);
      return bytes;
    }
    case 1:
      return bytes.slice(0, Math.floor(next() * bytes.length));
    case 2: {
      // A huge length prefix in front of a short payload.
      return new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, ...bytes.slice(0, 8)]);
    }
    case 3:
      return new Uint8Array([Math.floor(next() * 256), ...bytes.slice(1)]);
    case 4:
      return Uint8Array.from({ length: 1 + Math.floor(next() * 64) }, () => Math.floor(next() * 256));
    default: {
      const extra = Uint8Array.from({ length: 1 + Math.floor(next() * 16) }, () => Math.floor(next() * 256));
      return new Uint8Array([...bytes, ...extra]);
    }
  }
}

/** Sends frames over one socket until the server closes it or they run out; resolves with the close code. */
function attack(frames: Uint8Array[]): Promise<{ code: number | null; sent: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/sync/${fixture.review.id}`, {
      headers: { origin: server.origin, cookie: fixture.facilitator.client.cookie! },
    });
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.on('open', () => {
      for (const data of frames) {
        if (socket.readyState !== WebSocket.OPEN) break;
        socket.send(data);
        sent += 1;
      }
      timer = setTimeout(() => {
        socket.terminate();
        resolve({ code: null, sent });
      }, 150);
    });
    socket.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, sent });
    });
    socket.on('unexpected-response', (_request, response) => resolve({ code: response.statusCode ?? -1, sent }));
    socket.on('error', () => {});
  });
}

v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  collect();
  return process.memoryUsage().heapUsed;
};

describe('protocol fuzz', () => {
  it('refuses an update that depends on changes the server never saw, so joiners are not poisoned', async () => {
    const itemId = readAgenda(observer.doc)[0]!.id;
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(observer.doc));
    const updates: Uint8Array[] = [];
    forged.on('update', (update: Uint8Array) => updates.push(update));
    notesOf(forged, itemId)!.insert(0, 'never sent ');
    notesOf(forged, itemId)!.insert(0, 'depends on it ');
    // A client that has answered the server's sync step 1 (here with nothing), then sends only the second edit:
    // its predecessor is missing on the server.
    const { code } = await attack([frame(0, 1, Y.encodeStateAsUpdate(new Y.Doc())), frame(0, 2, updates[1]!)]);
    expect(code).toBe(4400);
    const room = server.rooms.loaded.get(fixture.review.id)!;
    expect(room.doc.store.pendingStructs).toBeNull();
    const joiner = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
    await joiner.synced;
    expect(readAgenda(joiner.doc)).toEqual(readAgenda(room.doc));
    expect(notesOf(joiner.doc, itemId)!.toString()).not.toContain('depends on it');
    joiner.destroy();
  });

  it('lets a client that has not answered sync step 1 yet send an edit before its predecessors, for a while', async () => {
    const itemId = readAgenda(observer.doc)[0]!.id;
    const edits = (first: string, second: string) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(observer.doc));
      const updates: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array) => updates.push(update));
      notesOf(doc, itemId)!.insert(0, first);
      notesOf(doc, itemId)!.insert(0, second);
      return updates;
    };
    const open = () =>
      new WebSocket(`ws://127.0.0.1:${server.port}/sync/${fixture.review.id}`, {
        headers: { origin: server.origin, cookie: fixture.facilitator.client.cookie! },
      });
    const closed = (socket: WebSocket) => new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));

    // A reconnecting client types at once: its edit arrives before the step 2 that carries what it builds on.
    const honest = edits('kept offline ', 'typed on reconnect ');
    const reconnecting = open();
    await new Promise((resolve) => reconnecting.on('open', resolve));
    reconnecting.send(frame(0, 2, honest[1]!));
    await new Promise((resolve) => setTimeout(resolve, 300));
    reconnecting.send(frame(0, 1, honest[0]!));
    await eventually(
      () => notesOf(observer.doc, itemId)!.toString().includes('typed on reconnect kept offline'),
      5_000,
      'both edits to reach the room',
    );
    expect(reconnecting.readyState).toBe(WebSocket.OPEN);
    reconnecting.close();

    // One whose predecessors never come is closed after the grace, and nothing of it stays.
    const dangling = edits('never sent ', 'waits forever ');
    const waiting = open();
    await new Promise((resolve) => waiting.on('open', resolve));
    waiting.send(frame(0, 2, dangling[1]!));
    expect(await closed(waiting)).toBe(4400);
    const room = server.rooms.loaded.get(fixture.review.id)!;
    expect(room.doc.store.pendingStructs).toBeNull();
    expect(notesOf(observer.doc, itemId)!.toString()).not.toContain('waits forever');
  });

  it(
    `survives ${FRAMES} mutated frames, closing offenders with a code and keeping one consistent board`,
    async () => {
      const itemId = readAgenda(observer.doc)[0]!.id;
      const next = seededRandom(Number(process.env.FUZZ_SEED ?? 7));
      const seeds = corpus(itemId);
      const baseline = heapAfterGc();
      const codes = new Map<number | null, number>();
      let remaining = FRAMES;
      while (remaining > 0) {
        const batch = Array.from({ length: Math.min(remaining, 25) }, () =>
          mutate(seeds[Math.floor(next() * seeds.length)]!, next),
        );
        const { code, sent } = await attack(batch);
        remaining -= Math.max(1, sent);
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
      // Offending connections were closed with Lastmile's codes; nothing was refused at the door.
      for (const code of codes.keys()) expect([null, 1009, 4400, 4429]).toContain(code);
      expect(codes.get(4400) ?? 0).toBeGreaterThan(10);
      expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);

      // One consistent board: the observer, the live room and a reload from PostgreSQL.
      notesOf(observer.doc, itemId)!.insert(0, 'still editing ');
      await observer.commits.whenCovered();
      const room = server.rooms.loaded.get(fixture.review.id)!;
      const live = readAgenda(room.doc);
      expect(readAgenda(observer.doc)).toEqual(live);
      const reader = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
      await reader.synced;
      await eventually(
        () => JSON.stringify(readAgenda(reader.doc)) === JSON.stringify(live),
        5_000,
        'a fresh client to see the same board',
      );
      reader.destroy();
      // …and what PostgreSQL holds: the room unloads once everyone left, then loads from the database.
      observer.destroy();
      await eventually(() => !server.rooms.loaded.has(fixture.review.id), 10_000, 'the room to unload');
      const reloaded = connectBoard(server.origin, fixture.facilitator.client, fixture.review.id);
      await reloaded.synced;
      expect(readAgenda(reloaded.doc)).toEqual(live);
      reloaded.destroy();
      expect(heapAfterGc() - baseline).toBeLessThan(48 * 1024 * 1024);
    },
    Math.max(120_000, FRAMES * 10),
  );
});

// Well-formed but forbidden: updates a stock Yjs client of a member (room role owner, not the facilitator) could
// build, each breaking the board's permission table (server/domain/board-permissions.ts) once, or a mix of allowed
// and forbidden writes in one update. Sent as they are, each is refused as a whole (the room counts it in
// `forbiddenUpdates`, the writer stays connected and hears why); mutated like the frames above, each is refused,
// let through if the mutation happened to make it allowed, or closes its sender with a 44xx code. Either way the
// board stays one: a watching facilitator, a fresh joiner, the live room and the board PostgreSQL holds agree, and
// none of them ever holds a value only the facilitator or the server may write.
const FORBIDDEN_FRAMES = Number(process.env.FUZZ_FORBIDDEN_FRAMES ?? 400);

/** JSON with sorted keys: two boards may hold the same map entries in another order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

const ROOTS = ['meta', 'items', 'room'];

const liveSequence = (type: Y.AbstractType<any>) => {
  for (let item = type._start; item; item = item.right) if (!item.deleted) return true;
  return false;
};
const liveEntries = (type: Y.AbstractType<any>) => [...type._map.values()].some((item) => !item.deleted);

/** The whole board as plain values, with the root types that hold what the schema has no place for. */
function boardState(doc: Y.Doc) {
  return {
    meta: doc.getMap('meta').toJSON(),
    room: roomOf(doc).toJSON(),
    items: itemsOf(doc).toJSON() as Record<string, Record<string, unknown>>,
    strayRoots: [...doc.share]
      .filter(([name, type]) => (ROOTS.includes(name) ? liveSequence(type) : liveSequence(type) || liveEntries(type)))
      .map(([name]) => name)
      .sort(),
  };
}
type BoardState = ReturnType<typeof boardState>;

/** What of an item only the server or the facilitator writes: a member's writes never change it. */
const FIXED_ITEM_KEYS = [
  'id',
  'kind',
  'title',
  'presenterId',
  'timeboxMinutes',
  'metricId',
  'initiativeId',
  'triage',
  'commitments',
];
const ITEM_KEYS = new Set([...FIXED_ITEM_KEYS, 'order', 'notes', 'votes', 'decisions']);
const SERVER_DECISION_KEYS = ['actionItemId', 'status', 'proposedDueDate', 'committedAt', 'verification'];

/**
 * Every value on the board that a member could not have written, compared with the board `before` the member
 * wrote: what a member may do (type notes, reorder, vote as themselves within the limit, add and take back their
 * own topic, draft decisions) is allowed, anything else is listed.
 */
function forbiddenValues(doc: Y.Doc, before: BoardState, memberId: string): string[] {
  const found: string[] = [];
  const now = boardState(doc);
  if (canonical(now.meta) !== canonical(before.meta)) found.push(`meta is ${canonical(now.meta)}`);
  if (canonical(now.room) !== canonical(before.room)) found.push(`room is ${canonical(now.room)}`);
  for (const name of now.strayRoots) found.push(`root ${name} holds content`);
  let memberVotes = 0;
  for (const [id, value] of itemsOf(doc)) {
    if (!(value instanceof Y.Map)) {
      found.push(`items.${id} is ${canonical(now.items[id])}`);
      continue;
    }
    const item = now.items[id]!;
    const old = before.items[id];
    if (old) {
      const keys = canonical(Object.keys(item).sort());
      if (keys !== canonical(Object.keys(old).sort())) found.push(`items.${id} has the keys ${keys}`);
      for (const key of FIXED_ITEM_KEYS)
        if (canonical(item[key]) !== canonical(old[key])) found.push(`items.${id}.${key} is ${canonical(item[key])}`);
    } else {
      // A topic a participant adds: free, linked to nothing, no server facts.
      if (item.id !== undefined && item.id !== id) found.push(`items.${id}.id is ${canonical(item.id)}`);
      if (item.kind !== undefined && item.kind !== 'free') found.push(`items.${id}.kind is ${canonical(item.kind)}`);
      for (const key of ['metricId', 'initiativeId'])
        if (item[key] !== undefined && item[key] !== null) found.push(`items.${id}.${key} is ${canonical(item[key])}`);
      for (const key of Object.keys(item)) if (!ITEM_KEYS.has(key)) found.push(`items.${id}.${key} exists`);
    }
    for (const [key, type] of [
      ['notes', Y.Text],
      ['votes', Y.Map],
      ['decisions', Y.Map],
    ] as const)
      if (value.has(key) && !(value.get(key) instanceof type)) found.push(`items.${id}.${key} is not a ${type.name}`);
    const votes = (item.votes ?? {}) as Record<string, unknown>;
    const oldVotes = (old?.votes ?? {}) as Record<string, unknown>;
    for (const userId of new Set([...Object.keys(votes), ...Object.keys(oldVotes)])) {
      const count = votes[userId];
      if (userId !== memberId) {
        if (count !== oldVotes[userId]) found.push(`items.${id}.votes.${userId} is ${canonical(count)}`);
      } else if (count !== undefined) {
        if (typeof count !== 'number' || !Number.isInteger(count) || count < 1)
          found.push(`items.${id}.votes.${userId} is ${canonical(count)}`);
        else memberVotes += count;
      }
    }
    const decisions = (item.decisions ?? {}) as Record<string, Record<string, unknown>>;
    const oldDecisions = (old?.decisions ?? {}) as Record<string, Record<string, unknown>>;
    for (const [decisionId, decision] of Object.entries(oldDecisions))
      if (typeof decision.actionItemId === 'string' && canonical(decisions[decisionId]) !== canonical(decision))
        found.push(`recorded decision ${decisionId} is ${canonical(decisions[decisionId])}`);
    for (const [decisionId, decision] of Object.entries(decisions)) {
      if (oldDecisions[decisionId]) continue;
      if (!decision || typeof decision !== 'object') {
        found.push(`decision ${decisionId} is ${canonical(decision)}`);
        continue;
      }
      for (const key of SERVER_DECISION_KEYS) if (key in decision) found.push(`draft ${decisionId} has ${key}`);
      if (decision.createdBy !== undefined && decision.createdBy !== memberId)
        found.push(`draft ${decisionId} is by ${canonical(decision.createdBy)}`);
    }
  }
  for (const [id, old] of Object.entries(before.items))
    if (!itemsOf(doc).has(id) && !(old.kind === 'free' && old.presenterId === memberId))
      found.push(`items.${id} is gone`);
  const limit = before.room.votesPerPerson as number;
  if (memberVotes > limit) found.push(`the member gave ${memberVotes} votes, ${limit} allowed`);
  return found;
}

interface Ids {
  status: string;
  other: string;
  triage: string;
  check: string;
  topic: string;
  decision: string;
  entry: string;
  metric: string;
  otherMetric: string;
  facilitator: string;
  member: string;
}

type Change = (doc: Y.Doc) => void;

/** The forbidden writes (and mixes of allowed and forbidden ones), each as a change of a copy of the board. */
function forbiddenWrites(ids: Ids): [name: string, change: Change][] {
  const item = (doc: Y.Doc, id: string) => itemsOf(doc).get(id)!;
  const votes = (doc: Y.Doc, id: string) => item(doc, id).get('votes') as Y.Map<unknown>;
  const decisions = (doc: Y.Doc, id: string) => item(doc, id).get('decisions') as Y.Map<Y.Map<unknown>>;
  const recorded = (doc: Y.Doc) => decisions(doc, ids.status).get(ids.decision)!;
  const commitments = (doc: Y.Doc) => item(doc, ids.check).get('commitments') as Y.Map<unknown>;
  const triage = (doc: Y.Doc) => item(doc, ids.triage).get('triage') as TriageInfo;
  const draft = (id: string, createdBy: string) => ({ id, title: 'Draft', ownerId: null, dueDate: null, createdBy });
  const room = roomOf;
  return [
    ['room.phase', (doc) => room(doc).set('phase', 'wrap-up')],
    ['room.phase, not a phase', (doc) => room(doc).set('phase', { evil: true })],
    ['room.phase deleted', (doc) => room(doc).delete('phase')],
    ['room.currentItemId', (doc) => room(doc).set('currentItemId', ids.topic)],
    ['room.currentItemId deleted', (doc) => room(doc).delete('currentItemId')],
    ['room.timer restarted', (doc) => startTimer(doc, ids.topic, 2_000)],
    ['room.timer stopped', (doc) => room(doc).set('timer', null)],
    ['room.facilitatorId', (doc) => room(doc).set('facilitatorId', ids.member)],
    ['room.facilitatorId deleted', (doc) => room(doc).delete('facilitatorId')],
    ['room.votesPerPerson', (doc) => room(doc).set('votesPerPerson', 20)],
    ['room.follow', (doc) => room(doc).set('follow', { itemId: ids.topic, by: ids.member })],
    ['room.reviewRevision', (doc) => room(doc).set('reviewRevision', 1_000)],
    ['room, a key of its own', (doc) => room(doc).set('locked', true)],
    ['meta.version', (doc) => doc.getMap('meta').set('version', 99)],
    ['meta.version deleted', (doc) => doc.getMap('meta').delete('version')],
    ['meta, a key of its own', (doc) => doc.getMap('meta').set('owner', ids.member)],
    ['a vote as the facilitator', (doc) => votes(doc, ids.other).set(ids.facilitator, 1)],
    ['the facilitator’s vote raised', (doc) => votes(doc, ids.status).set(ids.facilitator, 2)],
    ['the facilitator’s vote deleted', (doc) => votes(doc, ids.status).delete(ids.facilitator)],
    ['99 votes of one’s own', (doc) => votes(doc, ids.other).set(ids.member, 99)],
    [
      'own votes past the limit over the agenda',
      (doc) => {
        votes(doc, ids.other).set(ids.member, 2);
        votes(doc, ids.triage).set(ids.member, 1);
      },
    ],
    ['no votes of one’s own', (doc) => votes(doc, ids.other).set(ids.member, 0)],
    ['a negative vote', (doc) => votes(doc, ids.other).set(ids.member, -1)],
    ['half a vote', (doc) => votes(doc, ids.other).set(ids.member, 0.5)],
    ['votes as text', (doc) => votes(doc, ids.other).set(ids.member, 'lots')],
    ['the votes map replaced', (doc) => item(doc, ids.status).set('votes', new Y.Map())],
    ['a generated item deleted', (doc) => itemsOf(doc).delete(ids.status)],
    ['the triage item deleted', (doc) => itemsOf(doc).delete(ids.triage)],
    ['the commitments check deleted', (doc) => itemsOf(doc).delete(ids.check)],
    [
      'a generated item replaced by a free topic',
      (doc) => itemsOf(doc).set(ids.other, newAgendaItem({ id: ids.other, kind: 'free', title: 'Hijacked' }, 1)),
    ],
    ['a generated item’s kind', (doc) => item(doc, ids.status).set('kind', 'free')],
    ['the triage item’s kind', (doc) => item(doc, ids.triage).set('kind', 'status-update')],
    ['a free topic made a triage item', (doc) => item(doc, ids.topic).set('kind', 'triage')],
    ['a generated item’s metricId', (doc) => item(doc, ids.status).set('metricId', ids.otherMetric)],
    ['a generated item’s metricId cleared', (doc) => item(doc, ids.status).set('metricId', null)],
    ['a free topic linked to a metric', (doc) => item(doc, ids.topic).set('metricId', ids.metric)],
    ['a generated item’s title', (doc) => item(doc, ids.status).set('title', 'Renamed by a member')],
    ['an item, a key of its own', (doc) => item(doc, ids.status).set('approved', true)],
    ['the notes replaced', (doc) => item(doc, ids.status).set('notes', new Y.Text('REPLACED NOTES'))],
    [
      // Over 32 KB: judged after the server's worker has decoded it.
      'the notes replaced by a long text',
      (doc) => item(doc, ids.status).set('notes', new Y.Text('REPLACED NOTES '.repeat(2_500))),
    ],
    ['the notes replaced by a string', (doc) => item(doc, ids.status).set('notes', 'REPLACED')],
    ['the notes deleted', (doc) => item(doc, ids.status).delete('notes')],
    ['triage facts rewritten', (doc) => item(doc, ids.triage).set('triage', { ...triage(doc), why: 'All fine' })],
    [
      'a triage pivot dismissed on the board',
      (doc) =>
        item(doc, ids.triage).set('triage', {
          ...triage(doc),
          state: 'dismissed',
          dismissedBy: ids.member,
          dismissedAt: 3_000,
        }),
    ],
    ['triage facts deleted', (doc) => item(doc, ids.triage).delete('triage')],
    ['triage facts on a generated item', (doc) => item(doc, ids.status).set('triage', triage(doc))],
    [
      'a commitment rewritten',
      (doc) => commitments(doc).set(ids.entry, { ...(commitments(doc).get(ids.entry) as object), status: 'done' }),
    ],
    [
      'a commitment added',
      (doc) => commitments(doc).set('forged', { ...(commitments(doc).get(ids.entry) as object), id: 'forged' }),
    ],
    ['a commitment removed', (doc) => commitments(doc).delete(ids.entry)],
    ['a recorded decision’s title', (doc) => recorded(doc).set('title', 'Rewritten')],
    ['a recorded decision’s due date', (doc) => recorded(doc).set('dueDate', '2199-01-01')],
    ['a recorded decision’s status', (doc) => recorded(doc).set('status', 'done')],
    ['a recorded decision’s action item', (doc) => recorded(doc).set('actionItemId', 'forged-action')],
    ['a recorded decision deleted', (doc) => decisions(doc, ids.status).delete(ids.decision)],
    ['the decisions map replaced', (doc) => item(doc, ids.status).set('decisions', new Y.Map())],
    ['a draft in someone else’s name', (doc) => draftDecision(doc, ids.other, draft('theirs', ids.facilitator), 1)],
    [
      'a draft posing as recorded',
      (doc) => {
        draftDecision(doc, ids.other, draft('posing', ids.member), 1);
        decisions(doc, ids.other).get('posing')!.set('actionItemId', 'posing');
      },
    ],
    ['an added item posing as triage', (doc) => addItem(doc, { id: 'forged-triage', kind: 'triage', title: 'Forged' })],
    [
      'an added item linked to a metric',
      (doc) => addItem(doc, { id: 'forged-metric', kind: 'free', title: 'Forged', metricId: ids.metric }),
    ],
    ['a new root map', (doc) => doc.getMap('forgedMap').set('owner', ids.member)],
    ['a new root text', (doc) => doc.getText('forgedText').insert(0, 'forged')],
    ['a new root array', (doc) => doc.getArray('forgedList').push([1, 2, 3])],
    // Mixes: what is allowed goes with what is not.
    [
      'notes typed and the phase moved',
      (doc) => {
        notesOf(doc, ids.status)!.insert(0, 'MIXED ');
        room(doc).set('phase', 'wrap-up');
      },
    ],
    [
      'an own vote and one as the facilitator',
      (doc) => {
        votes(doc, ids.other).set(ids.member, 1);
        votes(doc, ids.triage).set(ids.facilitator, 1);
      },
    ],
    [
      'a topic added and the room moved to it',
      (doc) => {
        addItem(doc, { id: 'mixed-topic', kind: 'free', title: 'Mine', presenterId: ids.member });
        room(doc).set('currentItemId', 'mixed-topic');
      },
    ],
    [
      'a reorder and a kind change',
      (doc) => {
        item(doc, ids.other).set('order', 0.5);
        item(doc, ids.other).set('kind', 'free');
      },
    ],
    [
      'a draft and a recorded decision edited',
      (doc) => {
        draftDecision(doc, ids.status, draft('mixed-draft', ids.member), 1);
        recorded(doc).set('title', 'Rewritten');
      },
    ],
    [
      'notes typed, an own vote taken back and meta.version',
      (doc) => {
        notesOf(doc, ids.topic)!.insert(0, 'MIXED ');
        votes(doc, ids.topic).delete(ids.member);
        doc.getMap('meta').set('version', 2);
      },
    ],
    [
      'one’s own topic deleted and a generated item too',
      (doc) => {
        itemsOf(doc).delete(ids.topic);
        itemsOf(doc).delete(ids.other);
      },
    ],
    [
      'notes typed into a new root too',
      (doc) => {
        notesOf(doc, ids.other)!.insert(0, 'MIXED ');
        doc.getText('forgedText').insert(0, 'MIXED');
      },
    ],
  ];
}

/**
 * The update a client makes with `change` on a copy of the board `base`, under a client id from `next` (a fresh
 * one each time, so no forged update is taken for one the room has); null when the change does nothing or cannot be
 * made on this board (what it edits is gone).
 */
function forge(base: Uint8Array, change: Change, next: () => number): Uint8Array | null {
  const doc = new Y.Doc();
  doc.clientID = 1 + Math.floor(next() * 0x7ffffffe);
  Y.applyUpdate(doc, base);
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  try {
    doc.transact(() => change(doc));
  } catch {
    return null;
  } finally {
    doc.destroy();
  }
  return updates.length === 0 ? null : updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
}

/** A raw websocket of the room, counting the server's answers to sync step 1 and Lastmile's notices. */
interface RawSocket {
  socket: WebSocket;
  answers: number;
  notices: { kind: string; message: string }[];
  code: number | null;
  /** Called on every message and on the close. */
  wake: () => void;
}

function openRaw(person: Person, reviewId: string, acks = false): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/sync/${reviewId}${acks ? '?acks=1' : ''}`, {
      headers: { origin: server.origin, cookie: person.client.cookie! },
    });
    const raw: RawSocket = { socket, answers: 0, notices: [], code: null, wake: () => {} };
    socket.on('message', (data: Buffer) => {
      queueMicrotask(() => raw.wake());
      if (data[0] === 0 && data[1] === 1) raw.answers += 1;
      if (data[0] === NOTICE_MESSAGE_TYPE) {
        const decoder = decoding.createDecoder(new Uint8Array(data));
        decoding.readVarUint(decoder);
        raw.notices.push(JSON.parse(decoding.readVarString(decoder)) as RawSocket['notices'][number]);
      }
    });
    socket.on('open', () => resolve(raw));
    socket.on('close', (code) => {
      raw.code = code;
      raw.wake();
    });
    socket.on('unexpected-response', (_request, response) => reject(new Error(`upgrade: ${response.statusCode}`)));
    socket.on('error', () => {});
  });
}

/**
 * Sends frames until they run out or the server closes the socket, then a sync step 1: the server handles a
 * socket's frames in order, so its answer means it handled them all and kept the socket open. Resolves with 'open'
 * or the close code, and how many frames went out.
 */
async function sendAll(raw: RawSocket, frames: Uint8Array[], stateVector: Uint8Array) {
  let sent = 0;
  // Mutated frames may be sync steps 1 themselves: each is answered, or closes the socket.
  let asked = raw.answers;
  for (const data of [...frames, frame(0, 0, stateVector)]) {
    if (raw.socket.readyState !== WebSocket.OPEN) break;
    raw.socket.send(data);
    if (data[0] === 0 && data[1] === 0) asked += 1;
    sent += 1;
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server neither answered nor closed')), 10_000);
    raw.wake = () => {
      if (raw.code === null && raw.answers < asked) return;
      clearTimeout(timer);
      resolve();
    };
    raw.wake();
  });
  return { outcome: raw.code ?? ('open' as const), sent: Math.min(sent, frames.length) };
}

describe('forbidden writes fuzz', () => {
  let review: Awaited<ReturnType<typeof createReview>>;
  let member: Person;
  let watcher: BoardClient;
  let ids: Ids;

  beforeAll(async () => {
    const { facilitator, org } = fixture;
    const otherMetric = await createMetric(facilitator.client, org.id, facilitator.user.id, { name: 'Fleet uptime' });
    review = await createReview(facilitator.client, org.id, {
      title: 'Forbidden writes review',
      metricIds: [fixture.metric.id, otherMetric.id],
    });
    member = await addMember(server.origin, facilitator.client, org.id, 'Mo Member');
    watcher = connectBoard(server.origin, facilitator.client, review.id);
    await watcher.synced;
    const phase = await facilitator.client.request('PUT', `/api/reviews/${review.id}/phase`, { phase: 'metrics' });
    expect(phase.status).toBe(200);
    const [status, other] = readAgenda(watcher.doc);
    ids = {
      status: status!.id,
      other: other!.id,
      triage: 'fuzz-triage-item',
      check: 'fuzz-commitments-check',
      topic: 'fuzz-member-topic',
      decision: 'fuzz-recorded-decision',
      entry: 'fuzz-earlier-action',
      metric: fixture.metric.id,
      otherMetric: otherMetric.id,
      facilitator: facilitator.user.id,
      member: member.user.id,
    };
    const info = activeTriage(fixture.metric.id, { pivotedAt: 1_000 });
    const entry: CommitmentEntry = {
      id: ids.entry,
      title: 'Renegotiate the fuel contract',
      ownerId: facilitator.user.id,
      ownerName: facilitator.user.name,
      dueDate: '2026-01-15',
      status: 'open',
      overdue: true,
      verification: null,
      reviewTitle: 'Last week',
    };
    // What only the server writes: a triage pivot, a commitments check, a recorded decision; and a member's topic
    // with their vote, the facilitator's vote and a running timer.
    await server.rooms.edit(review.id, (doc) => {
      applyTriage(
        doc,
        [{ kind: 'pivot', itemId: null, title: 'Fuel cost', toIndex: 0, inPlace: false, info }],
        () => ids.triage,
      );
      addCommitmentsCheck(doc, [entry], ids.check);
      addItem(doc, { id: ids.topic, kind: 'free', title: 'Hiring plan', presenterId: ids.member });
      (itemsOf(doc).get(ids.topic)!.get('votes') as Y.Map<number>).set(ids.member, 1);
      (itemsOf(doc).get(ids.status)!.get('votes') as Y.Map<number>).set(ids.facilitator, 1);
      markDecision(
        doc,
        ids.status,
        {
          id: ids.decision,
          title: 'Renegotiate the fuel contract',
          ownerId: ids.facilitator,
          dueDate: '2026-02-01',
          metricId: fixture.metric.id,
          initiativeId: null,
          expectedMaxSlip: 0.1,
          expectedBy: '2026-03-01',
          createdBy: ids.facilitator,
          status: 'open',
          proposedDueDate: null,
          committedAt: null,
          verification: null,
        },
        1_000,
      );
      startTimer(doc, ids.status, 1_000);
    });
    const room = server.rooms.loaded.get(review.id)!;
    await eventually(
      () => canonical(boardState(watcher.doc)) === canonical(boardState(room.doc)),
      10_000,
      'the watcher to see the setup',
    );
  });
  afterAll(() => watcher?.destroy());

  it(
    `refuses every forbidden write as a whole, also in ${FORBIDDEN_FRAMES} mutated frames, and the board stays one`,
    async () => {
      const next = seededRandom(Number(process.env.FUZZ_SEED ?? 7));
      const room = server.rooms.loaded.get(review.id)!;
      const writes = forbiddenWrites(ids);

      // The harness can let a write through: a member's own notes go in.
      const writer = await openRaw(member, review.id, true);
      writer.socket.send(frame(0, 1, Y.encodeStateAsUpdate(new Y.Doc())));
      const typed = forge(Y.encodeStateAsUpdate(room.doc), (doc) => notesOf(doc, ids.topic)!.insert(0, 'Ok. '), next);
      expect(await sendAll(writer, [frame(0, 2, typed!)], Y.encodeStateVector(room.doc))).toMatchObject({
        outcome: 'open',
      });
      await eventually(() => notesOf(watcher.doc, ids.topic)!.toString() === 'Ok. ', 10_000, 'the member’s notes');
      const before = boardState(room.doc);
      expect(before.room).toMatchObject({ phase: 'metrics', currentItemId: expect.any(String) });
      expect(before.strayRoots).toEqual([]);
      expect(forbiddenValues(room.doc, before, ids.member)).toEqual([]);
      const forbiddenAtStart = room.forbiddenUpdates;
      // The watcher never holds a forbidden value, not even for a moment.
      const seen: string[] = [];
      const look = () => seen.push(...forbiddenValues(watcher.doc, before, ids.member));
      watcher.doc.on('update', look);

      // Each as it is: refused, counted, told, and the writer stays connected.
      const misses: string[] = [];
      for (const [name, change] of writes) {
        const update = forge(Y.encodeStateAsUpdate(room.doc), change, next);
        if (!update) {
          misses.push(`${name}: no update`);
          continue;
        }
        const counted = room.forbiddenUpdates;
        const notices = writer.notices.length;
        const { outcome } = await sendAll(writer, [frame(0, 2, update)], Y.encodeStateVector(room.doc));
        if (outcome !== 'open') misses.push(`${name}: closed ${outcome}`);
        if (room.forbiddenUpdates !== counted + 1) misses.push(`${name}: not refused`);
        if (writer.notices.slice(notices).map((notice) => notice.kind)[0] !== 'write-forbidden')
          misses.push(`${name}: no notice`);
        const problems = forbiddenValues(room.doc, before, ids.member);
        if (problems.length > 0) misses.push(`${name}: ${problems.join('; ')}`);
        if (misses.length > 0) break;
      }
      expect(misses).toEqual([]);
      expect(room.forbiddenUpdates - forbiddenAtStart).toBe(writes.length);
      expect(canonical(boardState(room.doc))).toBe(canonical(before));
      writer.socket.close();

      // Mutated (four in five), on sockets of up to 25 frames that have answered the server's sync step 1 or not,
      // one frame at a time: each is refused (counted), kept without a refusal (the mutation made it harmless or
      // allowed), or closes its socket. The room is checked after each, to name the frame that let a value through.
      const outcomes = new Map<string | number, number>();
      const escaped: string[] = [];
      let sent = 0;
      while (sent < FORBIDDEN_FRAMES && escaped.length === 0) {
        const raw = await openRaw(member, review.id);
        if (next() < 0.5) raw.socket.send(frame(0, 1, Y.encodeStateAsUpdate(new Y.Doc())));
        const size = 1 + Math.floor(next() * 25);
        for (let index = 0; index < size && sent < FORBIDDEN_FRAMES && raw.code === null;) {
          const [name, change] = writes[Math.floor(next() * writes.length)]!;
          // On the board as it is now: a refusal puts back copies, and writes into what they replaced change nothing.
          const update = forge(Y.encodeStateAsUpdate(room.doc), change, next);
          if (!update) continue;
          const whole = next() < 0.2;
          // As an update, or as the sync step 2 a reconnecting client sends.
          const message = frame(0, next() < 0.25 ? 1 : 2, update);
          const data = whole ? message : mutate(message, next);
          const counted = room.forbiddenUpdates;
          // An earlier mutated frame of this socket may wait for predecessors that never come: it is judged again
          // after the next update, and closes the socket then (or when its grace ends).
          const waiting = [...room.connections].some(
            (connection) => connection.userId === ids.member && connection.waiting !== null,
          );
          const { outcome } = await sendAll(raw, [data], Y.encodeStateVector(room.doc));
          index += 1;
          sent += 1;
          const kind = outcome !== 'open' ? outcome : room.forbiddenUpdates > counted ? 'refused' : 'kept';
          outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1);
          if (whole && !waiting && kind !== 'refused') escaped.push(`${name}, as it is: ${kind}`);
          const problems = forbiddenValues(room.doc, before, ids.member);
          if (problems.length > 0)
            escaped.push(
              `${name}${whole ? '' : ', mutated'} (${kind}; frame ${Buffer.from(data).toString('base64')}): ` +
                problems.join('; '),
            );
          if (escaped.length > 0) break;
        }
        raw.socket.terminate();
      }
      expect(escaped).toEqual([]);
      // Kept connected while what it sent was well-formed, else closed with one of Lastmile's 44xx codes.
      for (const kind of outcomes.keys()) expect(['refused', 'kept', 4400, 4429]).toContain(kind);
      expect(outcomes.get('refused') ?? 0).toBeGreaterThan(FORBIDDEN_FRAMES / 10);
      expect(outcomes.get(4400) ?? 0).toBeGreaterThan(FORBIDDEN_FRAMES / 10);
      expect(room.forbiddenUpdates - forbiddenAtStart).toBeGreaterThanOrEqual(
        writes.length + (outcomes.get('refused') ?? 0),
      );
      expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);
      expect(server.rooms.loaded.get(review.id)).toBe(room);
      expect(room.doc.store.pendingStructs).toBeNull();
      expect(room.doc.store.pendingDs).toBeNull();

      // One board: the watcher, a fresh joiner, the live room and PostgreSQL; none with a forbidden value.
      const live = canonical(boardState(room.doc));
      await eventually(() => canonical(boardState(watcher.doc)) === live, 10_000, 'the watcher to agree');
      const joiner = connectBoard(server.origin, member.client, review.id);
      await joiner.synced;
      await eventually(() => canonical(boardState(joiner.doc)) === live, 10_000, 'a fresh joiner to agree');
      await room.writer.drain();
      const stored = await loadBoard(server.db.sql, review.id);
      const reloaded = new Y.Doc();
      if (stored.snapshot) Y.applyUpdate(reloaded, stored.snapshot.state);
      for (const { update } of stored.tail) Y.applyUpdate(reloaded, update);
      expect(canonical(boardState(reloaded))).toBe(live);
      expect(reloaded.store.pendingStructs).toBeNull();
      watcher.doc.off('update', look);
      expect([...new Set(seen)]).toEqual([]);
      for (const doc of [room.doc, watcher.doc, joiner.doc, reloaded])
        expect(forbiddenValues(doc, before, ids.member)).toEqual([]);
      const api = await fixture.facilitator.client.get(`/api/reviews/${review.id}`);
      expect(api.body.review.phase).toBe('metrics');
      for (const doc of [room.doc, watcher.doc, joiner.doc, reloaded]) expect(readRoom(doc).phase).toBe('metrics');
      joiner.destroy();
      reloaded.destroy();
    },
    Math.max(120_000, FORBIDDEN_FRAMES * 150),
  );
});
