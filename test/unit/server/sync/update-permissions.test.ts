import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addCommitmentsCheck,
  addItem,
  castVote,
  draftDecision,
  editDecision,
  generateAgenda,
  initializeBoard,
  itemsOf,
  markDecision,
  moveItem,
  notesOf,
  readAgenda,
  readRoom,
  removeDecision,
  removeItem,
  roomOf,
  setCurrentItem,
  setFollow,
  setItemFields,
  setPhase,
  setVotesPerPerson,
  startTimer,
  votesUsed,
  PHASES,
  type RecordedDecision,
} from '../../../../server/domain/board.ts';
import type { BoardWriter } from '../../../../server/domain/board-permissions.ts';
import type { TriageInfo } from '../../../../server/domain/triage-info.ts';
import { applyTriage } from '../../../../server/domain/triage.ts';
import { REFUSED_ORIGIN } from '../../../../server/sync/origins.ts';
import { applyAsDeleted } from '../../../../server/sync/refused-update.ts';
import { checkUpdatePermissions, type PermissionVerdict } from '../../../../server/sync/update-permissions.ts';

const SERVER = Symbol('server');
const MAYA: BoardWriter = { userId: 'maya', roomRole: 'facilitator', organizationRole: 'member' };
const JONAS: BoardWriter = { userId: 'jonas', roomRole: 'owner', organizationRole: 'admin' };
const SOFIA: BoardWriter = { userId: 'sofia', roomRole: 'owner', organizationRole: 'member' };
const DIEGO: BoardWriter = { userId: 'diego', roomRole: 'owner', organizationRole: 'member' };
const PRIYA: BoardWriter = { userId: 'priya', roomRole: 'viewer', organizationRole: 'member' };
const WRITERS = [MAYA, JONAS, SOFIA, DIEGO, PRIYA];

const triageInfo = (metricId: string): TriageInfo => ({
  metricId,
  state: 'active',
  why: 'Fuel cost 18% behind plan (threshold 15%)',
  slip: 0.18,
  threshold: 0.15,
  latest: null,
  trend: 'steady',
  impact: [],
  moneyAtRisk: 0,
  currency: null,
  pivotedAt: 1,
  recoveredAt: null,
  dismissedBy: null,
  dismissedAt: null,
});

/** A live review's board as the server builds it: generated agenda, a pivot, a commitments check, a topic. */
function liveBoard(): Y.Doc {
  const doc = new Y.Doc();
  let next = 0;
  const newId = () => `item-${++next}`;
  const agenda = generateAgenda(
    {
      metrics: [
        { id: 'm-fuel', title: 'Fuel cost', status: 'off track', ownerId: 'sofia' },
        { id: 'm-time', title: 'Delivery time', status: 'on track', ownerId: 'diego' },
      ],
      initiatives: [{ id: 'i-api', title: 'Dispatch API', status: 'at risk', ownerId: 'jonas' }],
    },
    newId,
  );
  initializeBoard(doc, agenda, { facilitatorId: 'maya', origin: SERVER });
  doc.transact(() => {
    applyTriage(
      doc,
      [
        {
          kind: 'pivot',
          itemId: agenda[0]!.id,
          title: 'Fuel cost',
          info: triageInfo('m-fuel'),
          toIndex: 0,
          inPlace: true,
        },
      ],
      newId,
    );
    addCommitmentsCheck(
      doc,
      [
        {
          id: 'a-old',
          title: 'Renegotiate fuel contract',
          ownerId: 'sofia',
          ownerName: 'Sofia',
          dueDate: '2026-01-01',
          status: 'committed',
          overdue: true,
          verification: null,
          reviewTitle: 'Last week',
        },
      ],
      'item-commitments',
    );
    addItem(doc, { id: 'topic-sofia', kind: 'free', title: 'Sofia’s topic', presenterId: 'sofia' });
  }, SERVER);
  return doc;
}

function clientOf(server: Y.Doc): Y.Doc {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return client;
}

/** What a y-websocket client sends for an edit: the updates of its transactions, merged. */
function edit(client: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const collect = (update: Uint8Array) => updates.push(update);
  client.on('update', collect);
  try {
    client.transact(() => change(client));
  } finally {
    client.off('update', collect);
  }
  return Y.mergeUpdates(updates);
}

/** The room's view of a document, for comparisons (the board as anyone reads it). */
const view = (doc: Y.Doc) => ({
  meta: doc.getMap('meta').toJSON(),
  room: roomOf(doc).toJSON(),
  items: itemsOf(doc).toJSON(),
  roots: [...doc.share.keys()].sort(),
});

function refusedPaths(verdict: PermissionVerdict): string[] {
  return verdict.kind === 'refused' ? verdict.refused.map((refused) => `${refused.write} ${refused.path}`) : [];
}

const agendaIds = (doc: Y.Doc) => readAgenda(doc).map((item) => item.id);
const statusItem = (doc: Y.Doc) => readAgenda(doc).find((item) => item.kind === 'status-update')!.id;

describe('checking a client update against the board permissions', () => {
  it('lets the facilitator move the room and refuses it to an owner, naming the path', () => {
    const server = liveBoard();
    const update = edit(clientOf(server), (doc) => setCurrentItem(doc, 'topic-sofia'));
    expect(checkUpdatePermissions(server, update, MAYA)).toEqual({ kind: 'allowed', writes: 1 });
    expect(checkUpdatePermissions(server, update, SOFIA)).toEqual({
      kind: 'refused',
      refused: [{ path: 'room.currentItemId', write: 'change', reason: 'Only the facilitator moves the room' }],
      message: 'Only the facilitator moves the room',
      restore: [['room', 'currentItemId']],
    });
  });

  it('refuses the phase and the facilitator id on the board to everyone: the API writes them', () => {
    const server = liveBoard();
    const phase = edit(clientOf(server), (doc) => setPhase(doc, 'wrap-up'));
    const facilitator = edit(clientOf(server), (doc) => roomOf(doc).set('facilitatorId', 'sofia'));
    for (const writer of [MAYA, JONAS, SOFIA]) {
      expect(refusedPaths(checkUpdatePermissions(server, phase, writer))).toEqual(['change room.phase']);
      expect(refusedPaths(checkUpdatePermissions(server, facilitator, writer))).toEqual(['change room.facilitatorId']);
    }
  });

  it('lets an organization admin run the timer, follow-me and the vote limit, and not an owner', () => {
    const server = liveBoard();
    const client = clientOf(server);
    const update = edit(client, (doc) => {
      startTimer(doc, 'topic-sofia', 1_000);
      setFollow(doc, { itemId: 'topic-sofia', by: 'jonas' });
      setVotesPerPerson(doc, 5);
    });
    expect(checkUpdatePermissions(server, update, JONAS).kind).toBe('allowed');
    expect(refusedPaths(checkUpdatePermissions(server, update, SOFIA))).toEqual([
      'change room.timer',
      'change room.follow',
      'change room.votesPerPerson',
    ]);
  });

  it('refuses everything from a viewer, even a note', () => {
    const server = liveBoard();
    const update = edit(clientOf(server), (doc) => notesOf(doc, 'topic-sofia')!.insert(0, 'hello'));
    expect(checkUpdatePermissions(server, update, SOFIA).kind).toBe('allowed');
    expect(refusedPaths(checkUpdatePermissions(server, update, PRIYA))).toEqual(['create items.topic-sofia.notes[]']);
  });

  describe('votes', () => {
    it('lets people vote and take votes back as themselves only', () => {
      const server = liveBoard();
      const client = clientOf(server);
      const vote = edit(client, (doc) => castVote(doc, 'topic-sofia', 'sofia', 1));
      expect(checkUpdatePermissions(server, vote, SOFIA).kind).toBe('allowed');
      expect(refusedPaths(checkUpdatePermissions(server, vote, DIEGO))).toEqual([
        'create items.topic-sofia.votes.sofia',
      ]);
      expect(refusedPaths(checkUpdatePermissions(server, vote, MAYA))).toEqual([
        'create items.topic-sofia.votes.sofia',
      ]);
      Y.applyUpdate(server, vote);
      const takeBack = edit(client, (doc) => castVote(doc, 'topic-sofia', 'sofia', -1));
      expect(checkUpdatePermissions(server, takeBack, SOFIA).kind).toBe('allowed');
      expect(refusedPaths(checkUpdatePermissions(server, takeBack, DIEGO))).toEqual([
        'delete items.topic-sofia.votes.sofia',
      ]);
    });

    it('refuses votes past the limit on the resulting state (99 votes in one write, or a fourth vote)', () => {
      const server = liveBoard();
      const client = clientOf(server);
      const votes = itemsOf(client).get('topic-sofia')!.get('votes') as Y.Map<number>;
      const ninetyNine = edit(client, () => votes.set('sofia', 99));
      expect(checkUpdatePermissions(server, ninetyNine, SOFIA)).toMatchObject({
        kind: 'refused',
        message: 'No votes left: 3 per person',
      });
      const fresh = clientOf(server);
      const ids = agendaIds(fresh);
      const three = edit(fresh, (doc) => ids.slice(0, 3).forEach((id) => castVote(doc, id, 'sofia', 1)));
      expect(checkUpdatePermissions(server, three, SOFIA).kind).toBe('allowed');
      Y.applyUpdate(server, three);
      const fourth = edit(fresh, () => (itemsOf(fresh).get(ids[3]!)!.get('votes') as Y.Map<number>).set('sofia', 1));
      expect(refusedPaths(checkUpdatePermissions(server, fourth, SOFIA))).toEqual([
        `create items.${ids[3]}.votes.sofia`,
      ]);
    });

    it('counts a limit raised in the same update, and lets people over a lowered limit take votes back', () => {
      const server = liveBoard();
      const client = clientOf(server);
      const ids = agendaIds(client);
      const raiseAndVote = edit(client, (doc) => {
        setVotesPerPerson(doc, 5);
        ids.slice(0, 5).forEach((id) => castVote(doc, id, 'maya', 1));
      });
      expect(checkUpdatePermissions(server, raiseAndVote, MAYA).kind).toBe('allowed');
      Y.applyUpdate(server, raiseAndVote);
      Y.applyUpdate(
        server,
        edit(client, (doc) => setVotesPerPerson(doc, 1)),
        SERVER,
      );
      const takeBack = edit(client, (doc) => castVote(doc, ids[0]!, 'maya', -1));
      expect(checkUpdatePermissions(server, takeBack, MAYA).kind).toBe('allowed');
    });

    it('refuses vote counts that are not whole numbers of at least 1', () => {
      const server = liveBoard();
      for (const bad of [0, -2, 1.5, '1', { n: 1 }]) {
        const client = clientOf(server);
        const update = edit(client, () =>
          (itemsOf(client).get('topic-sofia')!.get('votes') as Y.Map<unknown>).set('sofia', bad),
        );
        expect(checkUpdatePermissions(server, update, SOFIA), JSON.stringify(bad)).toMatchObject({
          kind: 'refused',
          refused: [{ path: 'items.topic-sofia.votes.sofia', reason: expect.stringMatching(/whole number/) }],
        });
      }
    });

    it('finds a vote in another’s name inside an item created by the same update', () => {
      const server = liveBoard();
      const update = edit(clientOf(server), (doc) => {
        addItem(doc, { id: 'new-topic', kind: 'free', title: 'New', presenterId: 'sofia' });
        (itemsOf(doc).get('new-topic')!.get('votes') as Y.Map<number>).set('diego', 1);
      });
      expect(refusedPaths(checkUpdatePermissions(server, update, SOFIA))).toEqual([
        'create items.new-topic.votes.diego',
      ]);
    });
  });

  describe('the agenda', () => {
    it('lets anyone in the room add a topic and reorder, even when the whole agenda is renumbered', () => {
      const server = liveBoard();
      const client = clientOf(server);
      const add = edit(client, (doc) =>
        addItem(doc, { id: 'diego-topic', kind: 'free', title: 'Mine', presenterId: 'diego' }),
      );
      expect(checkUpdatePermissions(server, add, DIEGO).kind).toBe('allowed');
      Y.applyUpdate(server, add);
      const ids = agendaIds(client);
      const renumber = edit(client, (doc) => {
        doc.transact(() =>
          ids.forEach((id, index) =>
            itemsOf(doc)
              .get(id)!
              .set('order', 1 + index * 1e-17),
          ),
        );
        moveItem(doc, ids[0]!, ids.length - 1);
      });
      expect(checkUpdatePermissions(server, renumber, DIEGO).kind).toBe('allowed');
    });

    it('refuses a new item that claims to be a triage item or a metric’s', () => {
      const server = liveBoard();
      const triage = edit(clientOf(server), (doc) => addItem(doc, { id: 'fake', kind: 'triage', title: 'Fake' }));
      expect(refusedPaths(checkUpdatePermissions(server, triage, MAYA))).toEqual(['create items.fake.kind']);
      const linked = edit(clientOf(server), (doc) =>
        addItem(doc, { id: 'fake', kind: 'free', title: 'F', metricId: 'm-time' }),
      );
      expect(refusedPaths(checkUpdatePermissions(server, linked, SOFIA))).toEqual(['create items.fake.metricId']);
      const wrongId = edit(clientOf(server), (doc) => addItem(doc, { id: 'x', kind: 'free', title: 'F' }));
      const renamed = edit(clientOf(server), (doc) => {
        addItem(doc, { id: 'y', kind: 'free', title: 'F' });
        itemsOf(doc).get('y')!.set('id', 'x');
      });
      expect(checkUpdatePermissions(server, wrongId, SOFIA).kind).toBe('allowed');
      expect(refusedPaths(checkUpdatePermissions(server, renamed, SOFIA))).toEqual(['create items.y.id']);
    });

    it('refuses an owner’s deletion of an agenda item as one write, and lets the facilitator make it', () => {
      const server = liveBoard();
      const client = clientOf(server);
      const target = statusItem(client);
      notesOf(server, target)!.insert(0, 'notes that go with it');
      Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
      const remove = edit(client, (doc) => removeItem(doc, target));
      expect(refusedPaths(checkUpdatePermissions(server, remove, SOFIA))).toEqual([`delete items.${target}`]);
      expect(checkUpdatePermissions(server, remove, MAYA).kind).toBe('allowed');
    });

    it('lets someone undo the topic they added', () => {
      const server = liveBoard();
      const client = clientOf(server);
      const undo = new Y.UndoManager(itemsOf(client), { trackedOrigins: new Set([null]) });
      const add = edit(client, (doc) =>
        addItem(doc, { id: 'oops', kind: 'free', title: 'Oops', presenterId: 'diego' }),
      );
      Y.applyUpdate(server, add);
      const undone = edit(client, () => undo.undo());
      expect(itemsOf(client).has('oops')).toBe(false);
      expect(checkUpdatePermissions(server, undone, DIEGO).kind).toBe('allowed');
      expect(refusedPaths(checkUpdatePermissions(server, undone, SOFIA))).toEqual(['delete items.oops']);
    });

    it('lets only the facilitator edit an existing item’s title, presenter and timebox', () => {
      const server = liveBoard();
      const update = edit(clientOf(server), (doc) =>
        setItemFields(doc, 'topic-sofia', { title: 'Renamed', timeboxMinutes: 9 }),
      );
      expect(checkUpdatePermissions(server, update, MAYA).kind).toBe('allowed');
      expect(refusedPaths(checkUpdatePermissions(server, update, SOFIA))).toEqual([
        'change items.topic-sofia.title',
        'change items.topic-sofia.timeboxMinutes',
      ]);
    });
  });

  describe('server facts', () => {
    it('refuses edits of a triage item’s triage facts and kind, and of the commitments check, to everyone', () => {
      const server = liveBoard();
      const pivoted = readAgenda(server).find((item) => item.kind === 'triage')!.id;
      const cases: [string, (doc: Y.Doc) => void][] = [
        [
          `change items.${pivoted}.triage`,
          (doc) =>
            itemsOf(doc)
              .get(pivoted)!
              .set('triage', { ...triageInfo('m-fuel'), state: 'dismissed' }),
        ],
        [`change items.${pivoted}.kind`, (doc) => itemsOf(doc).get(pivoted)!.set('kind', 'status-update')],
        [`delete items.${pivoted}.triage`, (doc) => itemsOf(doc).get(pivoted)!.delete('triage')],
        [
          'change items.item-commitments.commitments.a-old',
          (doc) =>
            (itemsOf(doc).get('item-commitments')!.get('commitments') as Y.Map<unknown>).set('a-old', {
              status: 'done',
            }),
        ],
        ['change meta.version', (doc) => doc.getMap('meta').set('version', 2)],
        ['create items.topic-sofia.secret', (doc) => itemsOf(doc).get('topic-sofia')!.set('secret', 1)],
        ['create evil.key', (doc) => doc.getMap('evil').set('key', 1)],
        [
          'change items.topic-sofia.notes',
          (doc) => itemsOf(doc).get('topic-sofia')!.set('notes', new Y.Text('replaced')),
        ],
      ];
      for (const [path, change] of cases) {
        const update = edit(clientOf(server), change);
        for (const writer of [MAYA, JONAS, SOFIA])
          expect(refusedPaths(checkUpdatePermissions(server, update, writer)), path).toEqual([path]);
      }
    });
  });

  describe('decisions', () => {
    const draft = (doc: Y.Doc, createdBy: string) =>
      draftDecision(doc, 'topic-sofia', { id: 'd1', title: '', ownerId: 'sofia', dueDate: '2026-06-01', createdBy }, 5);
    const recorded: RecordedDecision = {
      id: 'd1',
      title: 'Hedge fuel',
      ownerId: 'sofia',
      dueDate: '2026-06-01',
      metricId: null,
      initiativeId: null,
      expectedMaxSlip: null,
      expectedBy: null,
      createdBy: 'diego',
      status: 'proposed',
      proposedDueDate: null,
      committedAt: null,
      verification: null,
    };

    it('lets participants draft, edit and discard drafts in their own name', () => {
      const server = liveBoard();
      const client = clientOf(server);
      const drafted = edit(client, (doc) => draft(doc, 'diego'));
      expect(checkUpdatePermissions(server, drafted, DIEGO).kind).toBe('allowed');
      expect(refusedPaths(checkUpdatePermissions(server, drafted, SOFIA))).toEqual([
        'create items.topic-sofia.decisions.d1.createdBy',
      ]);
      Y.applyUpdate(server, drafted);
      const edited = edit(client, (doc) =>
        editDecision(doc, 'topic-sofia', 'd1', { title: 'Hedge', expectedMaxSlip: 0.05 }),
      );
      expect(checkUpdatePermissions(server, edited, SOFIA).kind).toBe('allowed');
      Y.applyUpdate(server, edited);
      const discarded = edit(client, (doc) => removeDecision(doc, 'topic-sofia', 'd1'));
      expect(checkUpdatePermissions(server, discarded, SOFIA).kind).toBe('allowed');
    });

    it('refuses edits, discards and status changes of a recorded decision, to the facilitator too', () => {
      const server = liveBoard();
      Y.applyUpdate(
        server,
        edit(clientOf(server), (doc) => draft(doc, 'diego')),
      );
      server.transact(() => markDecision(server, 'topic-sofia', recorded, 10), SERVER);
      const cases: [string, (doc: Y.Doc) => void][] = [
        [
          'change items.topic-sofia.decisions.d1.title',
          (doc) => editDecision(doc, 'topic-sofia', 'd1', { title: 'Other' }),
        ],
        ['delete items.topic-sofia.decisions.d1', (doc) => removeDecision(doc, 'topic-sofia', 'd1')],
        [
          'change items.topic-sofia.decisions.d1.status',
          (doc) =>
            (itemsOf(doc).get('topic-sofia')!.get('decisions') as Y.Map<Y.Map<unknown>>)
              .get('d1')!
              .set('status', 'done'),
        ],
      ];
      for (const [path, change] of cases) {
        const update = edit(clientOf(server), change);
        for (const writer of [MAYA, DIEGO])
          expect(refusedPaths(checkUpdatePermissions(server, update, writer)), path).toEqual([path]);
      }
    });
  });

  describe('what an update carries', () => {
    it('judges a map write as a change even when its delete set is stripped', () => {
      const server = liveBoard();
      const update = edit(clientOf(server), (doc) => setCurrentItem(doc, 'topic-sofia'));
      const decoded = Y.decodeUpdate(update);
      expect(decoded.ds.clients.size).toBe(1);
      decoded.ds.clients.clear();
      expect(refusedPaths(checkUpdatePermissions(server, update, SOFIA, { decoded }))).toEqual([
        'change room.currentItemId',
      ]);
    });

    it('counts replacing a map as one write, not also the deletion of what it held', () => {
      const server = liveBoard();
      const client = clientOf(server);
      Y.applyUpdate(
        server,
        edit(client, (doc) => castVote(doc, 'topic-sofia', 'diego', 1)),
      );
      const replace = edit(client, (doc) => itemsOf(doc).get('topic-sofia')!.set('votes', new Y.Map()));
      expect(Y.decodeUpdate(replace).ds.clients.size).toBeGreaterThan(0);
      expect(refusedPaths(checkUpdatePermissions(server, replace, SOFIA))).toEqual(['change items.topic-sofia.votes']);
      // The same with the replaced map left out of the delete set (only what it held in it): still one write.
      const decoded = Y.decodeUpdate(replace);
      const replaced = itemsOf(server).get('topic-sofia')!._map.get('votes')!.id;
      decoded.ds.clients.set(
        replaced.client,
        decoded.ds.clients.get(replaced.client)!.filter((range) => range.clock !== replaced.clock),
      );
      expect(refusedPaths(checkUpdatePermissions(server, replace, SOFIA, { decoded }))).toEqual([
        'change items.topic-sofia.votes',
      ]);
    });

    it('refuses a bare deletion of a room key', () => {
      const server = liveBoard();
      const update = edit(clientOf(server), (doc) => roomOf(doc).delete('currentItemId'));
      expect(Y.decodeUpdate(update).structs).toHaveLength(0);
      expect(refusedPaths(checkUpdatePermissions(server, update, SOFIA))).toEqual(['delete room.currentItemId']);
    });

    it('lets through writes into an item deleted meanwhile: they change nothing', () => {
      const server = liveBoard();
      const typing = clientOf(server);
      const facilitator = clientOf(server);
      const removal = edit(facilitator, (doc) => removeItem(doc, 'topic-sofia'));
      const notes = edit(typing, (doc) => notesOf(doc, 'topic-sofia')!.insert(0, 'late words'));
      expect(checkUpdatePermissions(server, removal, MAYA).kind).toBe('allowed');
      Y.applyUpdate(server, removal);
      expect(checkUpdatePermissions(server, notes, SOFIA)).toEqual({ kind: 'allowed', writes: 0 });
      const before = view(server);
      Y.applyUpdate(server, notes);
      expect(view(server)).toEqual(before);
    });

    it('calls an update incomplete while it builds on structs the room lacks, and judges it with them', () => {
      const server = liveBoard();
      const client = clientOf(server);
      const first = edit(client, (doc) => notesOf(doc, 'topic-sofia')!.insert(0, 'first '));
      const second = edit(client, (doc) => notesOf(doc, 'topic-sofia')!.insert(6, 'second'));
      const deletion = edit(client, (doc) => notesOf(doc, 'topic-sofia')!.delete(0, 3));
      expect(checkUpdatePermissions(server, second, SOFIA)).toEqual({ kind: 'incomplete' });
      expect(checkUpdatePermissions(server, Y.mergeUpdates([first, second]), SOFIA).kind).toBe('allowed');
      const other = clientOf(server);
      Y.applyUpdate(other, first);
      const othersDeletion = edit(other, (doc) => notesOf(doc, 'topic-sofia')!.delete(0, 2));
      expect(checkUpdatePermissions(server, othersDeletion, DIEGO)).toEqual({ kind: 'incomplete' });
      expect(checkUpdatePermissions(server, Y.mergeUpdates([first, deletion]), SOFIA).kind).toBe('allowed');
    });

    it('calls bytes that do not decode malformed', () => {
      const server = liveBoard();
      expect(checkUpdatePermissions(server, new Uint8Array([1, 2, 3, 250, 250, 250]), SOFIA)).toEqual({
        kind: 'malformed',
      });
    });

    it('allows the sync step 2 of a client that has nothing new, whatever its delete history', () => {
      const server = liveBoard();
      const client = clientOf(server);
      const typed = edit(client, (doc) => notesOf(doc, 'topic-sofia')!.insert(0, 'abcdef'));
      Y.applyUpdate(server, typed);
      Y.applyUpdate(
        server,
        edit(client, (doc) => notesOf(doc, 'topic-sofia')!.delete(1, 3)),
      );
      const step2 = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
      expect(Y.decodeUpdate(step2).ds.clients.size).toBeGreaterThan(0);
      expect(checkUpdatePermissions(server, step2, PRIYA)).toEqual({ kind: 'allowed', writes: 0 });
    });

    it('never changes the room’s document', () => {
      const server = liveBoard();
      const before = { view: view(server), state: Y.encodeStateVector(server) };
      for (const change of [
        (doc: Y.Doc) => doc.getMap('evil').set('key', 1),
        (doc: Y.Doc) => removeItem(doc, 'topic-sofia'),
        (doc: Y.Doc) => setPhase(doc, 'metrics'),
        (doc: Y.Doc) => addItem(doc, { id: 'n', kind: 'free', title: 'N' }),
      ])
        for (const writer of WRITERS) checkUpdatePermissions(server, edit(clientOf(server), change), writer);
      expect(view(server)).toEqual(before.view);
      expect(Y.encodeStateVector(server)).toEqual(before.state);
    });
  });

  describe('a refused client', () => {
    it('converges in place: the server applies it as deleted and puts back what it replaced', () => {
      const server = liveBoard();
      const client = clientOf(server);
      Y.applyUpdate(
        server,
        edit(client, (doc) => notesOf(doc, 'topic-sofia')!.insert(0, 'kept ')),
      );
      const before = view(server);
      const forbidden = edit(client, (doc) => {
        setCurrentItem(doc, 'topic-sofia');
        notesOf(doc, 'topic-sofia')!.insert(5, 'lost');
        addItem(doc, { id: 'also-lost', kind: 'free', title: 'x' });
      });
      const verdict = checkUpdatePermissions(server, forbidden, SOFIA);
      if (verdict.kind !== 'refused') throw new Error(`expected a refusal, got ${verdict.kind}`);
      applyAsDeleted(server, forbidden, REFUSED_ORIGIN, verdict.restore);
      expect(view(server)).toEqual(before);
      Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
      expect(view(client)).toEqual(before);
      // Its clock moved on with the server's, so its next edits build on what the server has.
      const next = edit(client, (doc) => notesOf(doc, 'topic-sofia')!.insert(5, 'again'));
      expect(checkUpdatePermissions(server, next, SOFIA).kind).toBe('allowed');
      Y.applyUpdate(server, next);
      expect(view(client)).toEqual(view(server));
      expect(notesOf(server, 'topic-sofia')!.toString()).toBe('kept again');
    });

    it('gets back text it was not allowed to remove', () => {
      const server = liveBoard();
      const viewer = clientOf(server);
      const before = view(server);
      const erase = edit(viewer, (doc) => notesOf(doc, 'item-1')!.delete(0, 1));
      const verdict = checkUpdatePermissions(server, erase, PRIYA);
      if (verdict.kind !== 'refused') throw new Error(`expected a refusal, got ${verdict.kind}`);
      applyAsDeleted(server, erase, REFUSED_ORIGIN, verdict.restore);
      expect(view(server)).toEqual(before);
      Y.applyUpdate(viewer, Y.encodeStateAsUpdate(server, Y.encodeStateVector(viewer)));
      expect(view(viewer)).toEqual(before);
    });

    it('gets back an agenda item it deleted, with everything in it, and the phase it overwrote', () => {
      const server = liveBoard();
      const client = clientOf(server);
      Y.applyUpdate(
        server,
        edit(clientOf(server), (doc) => castVote(doc, 'topic-sofia', 'maya', 1)),
      );
      Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
      const before = view(server);
      const forbidden = edit(client, (doc) => {
        removeItem(doc, 'topic-sofia');
        setPhase(doc, 'wrap-up');
      });
      const verdict = checkUpdatePermissions(server, forbidden, SOFIA);
      if (verdict.kind !== 'refused') throw new Error(`expected a refusal, got ${verdict.kind}`);
      const serverId = server.clientID;
      applyAsDeleted(server, forbidden, REFUSED_ORIGIN, verdict.restore);
      expect(view(server)).toEqual(before);
      // Putting back is the server's own write: Yjs must not take it for another client using its id.
      expect(server.clientID).toBe(serverId);
      Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
      expect(view(client)).toEqual(before);
    });
  });
});

// Random edits from random people on a real board: what the rules allow passes and integrates, what they forbid is
// refused, applied as deleted with what it replaced put back, and the refused client ends identical to the server.
type Op =
  | { kind: 'move-room'; item: number }
  | { kind: 'set-phase'; phase: number }
  | { kind: 'timer'; item: number }
  | { kind: 'follow'; item: number }
  | { kind: 'votes-per-person'; count: number }
  | { kind: 'cast-vote'; item: number; delta: 1 | -1 }
  | { kind: 'set-own-votes'; item: number; count: number }
  | { kind: 'vote-as'; item: number; other: number }
  | { kind: 'delete-vote-of'; item: number; other: number }
  | { kind: 'add-topic'; triage: boolean }
  | { kind: 'reorder'; item: number; to: number }
  | { kind: 'remove-item'; item: number }
  | { kind: 'rename'; item: number }
  | { kind: 'type-notes'; item: number; at: number; text: string }
  | { kind: 'erase-notes'; item: number; at: number; length: number }
  | { kind: 'draft'; item: number }
  | { kind: 'edit-decision'; decision: number }
  | { kind: 'discard-decision'; decision: number }
  | { kind: 'edit-triage'; item: number }
  | { kind: 'edit-meta' }
  | { kind: 'server-records'; decision: number }
  | { kind: 'server-phase'; phase: number };

const index = fc.nat(40);
const OP: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('move-room' as const), item: index }),
  fc.record({ kind: fc.constant('set-phase' as const), phase: index }),
  fc.record({ kind: fc.constant('timer' as const), item: index }),
  fc.record({ kind: fc.constant('follow' as const), item: index }),
  fc.record({ kind: fc.constant('votes-per-person' as const), count: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('cast-vote' as const), item: index, delta: fc.constantFrom(1 as const, -1 as const) }),
  fc.record({ kind: fc.constant('set-own-votes' as const), item: index, count: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('vote-as' as const), item: index, other: index }),
  fc.record({ kind: fc.constant('delete-vote-of' as const), item: index, other: index }),
  fc.record({ kind: fc.constant('add-topic' as const), triage: fc.boolean() }),
  fc.record({ kind: fc.constant('reorder' as const), item: index, to: index }),
  fc.record({ kind: fc.constant('remove-item' as const), item: index }),
  fc.record({ kind: fc.constant('rename' as const), item: index }),
  fc.record({
    kind: fc.constant('type-notes' as const),
    item: index,
    at: index,
    text: fc.string({ minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant('erase-notes' as const),
    item: index,
    at: index,
    length: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ kind: fc.constant('draft' as const), item: index }),
  fc.record({ kind: fc.constant('edit-decision' as const), decision: index }),
  fc.record({ kind: fc.constant('discard-decision' as const), decision: index }),
  fc.record({ kind: fc.constant('edit-triage' as const), item: index }),
  fc.record({ kind: fc.constant('edit-meta' as const) }),
  fc.record({ kind: fc.constant('server-records' as const), decision: index }),
  fc.record({ kind: fc.constant('server-phase' as const), phase: index }),
);

const facilitates = (writer: BoardWriter) =>
  writer.roomRole !== 'viewer' && (writer.roomRole === 'facilitator' || writer.organizationRole === 'admin');
const participates = (writer: BoardWriter) => writer.roomRole !== 'viewer';

function decisionsOf(doc: Y.Doc) {
  return readAgenda(doc).flatMap((item) => item.decisions.map((decision) => ({ itemId: item.id, decision })));
}

/** Makes the edit on the client and says whether the rules allow it, from the board as the server has it. */
function perform(client: Y.Doc, server: Y.Doc, writer: BoardWriter, op: Op, nowMs: number) {
  const agenda = readAgenda(server);
  const pick = <T>(list: T[], at: number): T | undefined => (list.length ? list[at % list.length] : undefined);
  const item = 'item' in op ? pick(agenda, op.item) : undefined;
  const me = writer.userId;
  const others = WRITERS.map((w) => w.userId).filter((id) => id !== me);
  const limit = readRoom(server).votesPerPerson;
  let allowed = false;
  const update = edit(client, (doc) => {
    switch (op.kind) {
      case 'move-room':
        if (!item) return;
        setCurrentItem(doc, item.id);
        allowed = facilitates(writer);
        return;
      case 'set-phase':
        setPhase(doc, PHASES[op.phase % PHASES.length]!);
        return;
      case 'timer':
        if (!item) return;
        startTimer(doc, item.id, nowMs);
        allowed = facilitates(writer);
        return;
      case 'follow':
        if (!item) return;
        setFollow(doc, op.item % 3 === 0 ? null : { itemId: item.id, by: me });
        allowed = facilitates(writer);
        return;
      case 'votes-per-person':
        setVotesPerPerson(doc, op.count);
        allowed = facilitates(writer);
        return;
      case 'cast-vote': {
        if (!item) return;
        castVote(doc, item.id, me, op.delta);
        allowed = participates(writer);
        return;
      }
      case 'set-own-votes': {
        if (!item) return;
        const before = votesUsed(agenda, me);
        const after = before - (item.votes[me] ?? 0) + op.count;
        (itemsOf(doc).get(item.id)!.get('votes') as Y.Map<number>).set(me, op.count);
        allowed = participates(writer) && (after <= limit || after <= before);
        return;
      }
      case 'vote-as':
        if (!item) return;
        (itemsOf(doc).get(item.id)!.get('votes') as Y.Map<number>).set(pick(others, op.other)!, 1);
        return;
      case 'delete-vote-of': {
        const voted = agenda.flatMap((view) =>
          Object.keys(view.votes)
            .filter((id) => id !== me)
            .map((id) => [view.id, id]),
        );
        const target = pick(voted, op.item);
        if (target) (itemsOf(doc).get(target[0]!)!.get('votes') as Y.Map<number>).delete(target[1]!);
        return;
      }
      case 'add-topic':
        addItem(doc, { id: `topic-${nowMs}`, kind: op.triage ? 'triage' : 'free', title: 'Topic', presenterId: me });
        allowed = participates(writer) && !op.triage;
        return;
      case 'reorder':
        if (!item) return;
        moveItem(doc, item.id, op.to % (agenda.length + 1));
        allowed = participates(writer);
        return;
      case 'remove-item': {
        if (!item) return;
        removeItem(doc, item.id);
        const ownTopic = item.kind === 'free' && item.presenterId === me;
        const movesRoom = readRoom(server).currentItemId === item.id;
        allowed = facilitates(writer) || (participates(writer) && ownTopic && !movesRoom);
        return;
      }
      case 'rename':
        if (!item) return;
        setItemFields(doc, item.id, { title: `Renamed ${nowMs}` });
        allowed = facilitates(writer);
        return;
      case 'type-notes': {
        if (!item) return;
        const notes = notesOf(doc, item.id)!;
        notes.insert(op.at % (notes.length + 1), op.text);
        allowed = participates(writer);
        return;
      }
      case 'erase-notes': {
        const notes = item ? notesOf(doc, item.id) : null;
        if (!notes || notes.length === 0) return;
        const at = op.at % notes.length;
        notes.delete(at, Math.min(op.length, notes.length - at));
        allowed = participates(writer);
        return;
      }
      case 'draft':
        if (!item) return;
        draftDecision(doc, item.id, { id: `d-${nowMs}`, title: '', ownerId: me, dueDate: null, createdBy: me }, nowMs);
        allowed = participates(writer);
        return;
      case 'edit-decision': {
        const target = pick(decisionsOf(server), op.decision);
        if (!target) return;
        editDecision(doc, target.itemId, target.decision.id, { title: `t${nowMs}` });
        allowed = participates(writer) && target.decision.actionItemId === null;
        return;
      }
      case 'discard-decision': {
        const target = pick(decisionsOf(server), op.decision);
        if (!target) return;
        removeDecision(doc, target.itemId, target.decision.id);
        allowed = participates(writer) && target.decision.actionItemId === null;
        return;
      }
      case 'edit-triage':
        if (!item) return;
        itemsOf(doc)
          .get(item.id)!
          .set('triage', { ...triageInfo('m-x'), state: 'dismissed' });
        return;
      case 'edit-meta':
        doc.getMap('meta').set('version', 99);
        return;
      case 'server-records':
      case 'server-phase':
        return;
    }
  });
  return { update, allowed };
}

function serverEdit(server: Y.Doc, op: Op, nowMs: number): boolean {
  if (op.kind === 'server-phase') {
    server.transact(() => setPhase(server, PHASES[op.phase % PHASES.length]!), SERVER);
    return true;
  }
  if (op.kind !== 'server-records') return false;
  const drafts = decisionsOf(server).filter(({ decision }) => decision.actionItemId === null);
  const target = drafts.length ? drafts[op.decision % drafts.length] : undefined;
  if (target)
    server.transact(
      () =>
        markDecision(
          server,
          target.itemId,
          {
            id: target.decision.id,
            title: 'Recorded',
            ownerId: 'sofia',
            dueDate: '2026-06-01',
            metricId: null,
            initiativeId: null,
            expectedMaxSlip: null,
            expectedBy: null,
            createdBy: target.decision.createdBy ?? 'sofia',
            status: 'proposed',
            proposedDueDate: null,
            committedAt: null,
            verification: null,
          },
          nowMs,
        ),
      SERVER,
    );
  return true;
}

describe('random edits from random people', () => {
  it('pass when the rules allow them, are refused otherwise, and refused clients converge back', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(WRITERS.length - 1), OP), { minLength: 1, maxLength: 30 }), (steps) => {
        const server = liveBoard();
        const clients = WRITERS.map(() => clientOf(server));
        steps.forEach(([who, op], step) => {
          const nowMs = 1_000 + step;
          if (serverEdit(server, op, nowMs)) return;
          const writer = WRITERS[who]!;
          // The client catches up with the server first, as a connected client does.
          Y.applyUpdate(clients[who]!, Y.encodeStateAsUpdate(server, Y.encodeStateVector(clients[who]!)));
          const { update, allowed } = perform(clients[who]!, server, writer, op, nowMs);
          if (Y.decodeUpdate(update).structs.length === 0 && Y.decodeUpdate(update).ds.clients.size === 0) return;
          const verdict = checkUpdatePermissions(server, update, writer);
          expect(verdict.kind, `${writer.userId} ${JSON.stringify(op)} ${JSON.stringify(verdict)}`).toBe(
            allowed ? 'allowed' : 'refused',
          );
          if (verdict.kind === 'allowed') {
            Y.applyUpdate(server, update);
            expect(view(clients[who]!)).toEqual(view(server));
          } else {
            const before = view(server);
            applyAsDeleted(server, update, REFUSED_ORIGIN, verdict.kind === 'refused' ? verdict.restore : []);
            expect(view(server)).toEqual(before);
            Y.applyUpdate(clients[who]!, Y.encodeStateAsUpdate(server, Y.encodeStateVector(clients[who]!)));
            expect(view(clients[who]!)).toEqual(before);
          }
        });
        for (const client of clients) {
          Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
          expect(view(client)).toEqual(view(server));
          // Nothing the server holds depends on a struct it lacks.
          expect(server.store.pendingStructs).toBeNull();
        }
      }),
      {
        numRuns: Number(process.env.PROPERTY_RUNS ?? 30),
        ...(process.env.PROPERTY_SEED ? { seed: Number(process.env.PROPERTY_SEED) } : {}),
      },
    );
  }, 60_000);
});
