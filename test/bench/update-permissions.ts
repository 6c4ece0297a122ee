// The cost of judging one client update against the board permissions, run by hand (a figure, not a test):
//   node --import tsx test/bench/update-permissions.ts
// on a board with a long history (people typing their notes character by character, with deletions, and voting),
// next to what the room spends on the same update anyway: decoding it, and integrating it into a copy of the board.
import * as Y from 'yjs';
import { seededRandom } from '../../db/seed/demo-history.ts';
import { castVote, initializeBoard, notesOf, readAgenda, setCurrentItem } from '../../server/domain/board.ts';
import type { BoardWriter } from '../../server/domain/board-permissions.ts';
import { checkUpdatePermissions } from '../../server/sync/update-permissions.ts';

const HISTORY = Number(process.env.BENCH_HISTORY ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20_000);
const random = seededRandom(18);
const people = ['maya', 'jonas', 'priya', 'diego', 'sofia'];
const writer: BoardWriter = { userId: 'sofia', roomRole: 'owner', organizationRole: 'member' };
const facilitator: BoardWriter = { userId: 'maya', roomRole: 'facilitator', organizationRole: 'member' };

const server = new Y.Doc();
initializeBoard(
  server,
  Array.from({ length: 20 }, (_, index) => ({ id: `item-${index}`, kind: 'free' as const, title: `Item ${index}` })),
  { facilitatorId: 'maya' },
);
const clients = people.map(() => {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return client;
});
for (let step = 0; step < HISTORY; step++) {
  const client = clients[step % clients.length]!;
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
  const sv = Y.encodeStateVector(client);
  const notes = notesOf(client, `item-${Math.floor(random() * 20)}`)!;
  if (random() < 0.2 && notes.length > 2) notes.delete(Math.floor(random() * (notes.length - 1)), 1);
  else notes.insert(Math.floor(random() * (notes.length + 1)), 'abcdefghij'[Math.floor(random() * 10)]!);
  Y.applyUpdate(server, Y.encodeStateAsUpdate(client, sv));
}

const sofia = clients[4]!;
Y.applyUpdate(sofia, Y.encodeStateAsUpdate(server, Y.encodeStateVector(sofia)));

/** The update a y-websocket client sends for one transaction (not integrated: the board stays as it is). */
function updateOf(change: (doc: Y.Doc) => void): Uint8Array {
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(sofia));
  let update: Uint8Array | null = null;
  scratch.on('update', (u: Uint8Array) => (update = u));
  scratch.transact(() => change(scratch));
  return update!;
}

const cases: { name: string; update: Uint8Array; as: BoardWriter }[] = [
  {
    name: 'one character typed in the notes',
    update: updateOf((doc) => notesOf(doc, 'item-3')!.insert(5, 'x')),
    as: writer,
  },
  { name: 'one character deleted', update: updateOf((doc) => notesOf(doc, 'item-3')!.delete(5, 1)), as: writer },
  {
    name: 'a vote (totals over the agenda)',
    update: updateOf((doc) => castVote(doc, 'item-7', 'sofia', 1)),
    as: writer,
  },
  { name: 'moving the room (refused)', update: updateOf((doc) => setCurrentItem(doc, 'item-9')), as: writer },
  { name: 'moving the room (facilitator)', update: updateOf((doc) => setCurrentItem(doc, 'item-9')), as: facilitator },
  {
    name: 'sync step 2 with the full delete history',
    update: Y.encodeStateAsUpdate(sofia, Y.encodeStateVector(server)),
    as: writer,
  },
];

const time = (run: () => void, rounds: number) => {
  for (let i = 0; i < Math.min(2_000, rounds); i++) run();
  const started = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) run();
  return Number(process.hrtime.bigint() - started) / 1_000 / rounds;
};

const copy = Y.encodeStateAsUpdate(server);
console.log(
  `board: ${HISTORY} updates, ${(copy.byteLength / 1024).toFixed(0)} KB, ${readAgenda(server).length} items, ` +
    `${[...server.store.clients.values()].reduce((n, structs) => n + structs.length, 0)} structs`,
);
console.log('update | bytes | verdict | check µs | decode µs | check − decode µs');
for (const { name, update, as } of cases) {
  const verdict = checkUpdatePermissions(server, update, as).kind;
  const check = time(() => checkUpdatePermissions(server, update, as), ROUNDS);
  const decode = time(() => Y.decodeUpdate(update), ROUNDS);
  console.log(
    `${name} | ${update.byteLength} | ${verdict} | ${check.toFixed(1)} | ${decode.toFixed(1)} | ${(check - decode).toFixed(1)}`,
  );
}
// For scale: integrating one typed character into a loaded board (what the room does for every allowed update).
const target = new Y.Doc();
Y.applyUpdate(target, copy);
let character = 0;
const integrate = time(() => {
  const doc = new Y.Doc();
  doc.clientID = 1_000_000 + character++;
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(target, Y.encodeStateVector(doc)));
}, 1);
console.log(
  `(loading the whole board into a new doc, what a clone per update would cost: ${(integrate / 1000).toFixed(1)} ms)`,
);
