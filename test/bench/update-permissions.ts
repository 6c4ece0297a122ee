// The cost of judging one client update against the board permissions (`npm run bench:permissions`; figures, not a
// test), on a board with a long history (people typing their notes character by character, with deletions, and
// voting), next to what the room spends on the same update anyway, measured in the same run: decoding it, and
// integrating it into the board. The headline table replays what the room does for each allowed update, one after
// another (decode, judge with the decoded update as Room.#admit passes it, integrate); the second times single
// updates repeatedly, refused ones included. The fan-out cost (200 clients, with and without the check) is
// `npm run bench:permissions-fanout`. Sizes: BENCH_HISTORY (10,000 updates), BENCH_ROUNDS (20,000 per case).
import * as Y from 'yjs';
import { seededRandom } from '../../db/seed/demo-history.ts';
import os from 'node:os';
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

/**
 * A chain of `rounds` updates of one kind, each as its client sends it, to replay in order against a copy of the
 * board: each builds on the previous, so each is a real integration (repeating one update would integrate nothing).
 */
function chainOf(
  change: (doc: Y.Doc, index: number) => void,
  rounds: number,
  clientDoc: Y.Doc,
  setup?: (doc: Y.Doc) => void,
): { setup: Uint8Array | null; updates: Uint8Array[] } {
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(clientDoc));
  const sv = Y.encodeStateVector(scratch);
  if (setup) scratch.transact(() => setup(scratch));
  const before = setup ? Y.encodeStateAsUpdate(scratch, sv) : null;
  const updates: Uint8Array[] = [];
  scratch.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < rounds; i++) scratch.transact(() => change(scratch, i));
  if (updates.length !== rounds) throw new Error(`${rounds} changes made ${updates.length} updates`);
  return { setup: before, updates };
}

const WARMUP = Math.min(2_000, ROUNDS);
const maya = clients[0]!;
Y.applyUpdate(maya, Y.encodeStateAsUpdate(server, Y.encodeStateVector(maya)));
const chains: {
  name: string;
  as: BoardWriter;
  from: Y.Doc;
  change: (doc: Y.Doc, index: number) => void;
  /** Integrated before the chain, untimed (text for the deletions to remove). */
  setup?: (doc: Y.Doc) => void;
}[] = [
  {
    name: 'one character typed in the notes',
    as: writer,
    from: sofia,
    change: (doc, i) =>
      notesOf(doc, `item-${i % 20}`)!.insert(Math.min(5, notesOf(doc, `item-${i % 20}`)!.length), 'x'),
  },
  {
    name: 'one character deleted',
    as: writer,
    from: sofia,
    setup: (doc) => {
      for (let item = 0; item < 20; item++)
        notesOf(doc, `item-${item}`)!.insert(0, 'z'.repeat(Math.ceil((WARMUP + ROUNDS) / 20) + 1));
    },
    change: (doc, i) => {
      const notes = notesOf(doc, `item-${i % 20}`)!;
      notes.delete(Math.floor(notes.length / 2), 1);
    },
  },
  {
    name: 'a vote, then taking it back (totals over the agenda)',
    as: writer,
    from: sofia,
    change: (doc, i) => castVote(doc, `item-${Math.floor(i / 2) % 20}`, 'sofia', i % 2 === 0 ? 1 : -1),
  },
  {
    name: 'moving the room (facilitator)',
    as: facilitator,
    from: maya,
    change: (doc, i) => setCurrentItem(doc, `item-${i % 20}`),
  },
];

const copy = Y.encodeStateAsUpdate(server);
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`Machine: ${cpu}, ${os.cpus().length} cores; Node ${process.version}`);
console.log(
  `board: ${HISTORY} updates, ${(copy.byteLength / 1024).toFixed(0)} KB, ${readAgenda(server).length} items, ` +
    `${[...server.store.clients.values()].reduce((n, structs) => n + structs.length, 0)} structs`,
);
console.log('');
console.log(
  `What the room does per allowed update, ${ROUNDS} in a row per kind (after ${WARMUP} to warm up), µs each:`,
);
console.log('');
console.log('| update | bytes | decode | integrate | check (decoded) | check ÷ (decode + integrate) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
const headline: Record<string, { decodeUs: number; integrateUs: number; checkUs: number; ratio: number }> = {};
for (const { name, as, from, change, setup } of chains) {
  const chain = chainOf(change, WARMUP + ROUNDS, from, setup);
  const updates = chain.updates;
  const target = new Y.Doc();
  Y.applyUpdate(target, copy);
  if (chain.setup) Y.applyUpdate(target, chain.setup);
  let decode = 0n;
  let check = 0n;
  let integrate = 0n;
  let bytes = 0;
  for (const [index, update] of updates.entries()) {
    const t0 = process.hrtime.bigint();
    const decoded = Y.decodeUpdate(update);
    const t1 = process.hrtime.bigint();
    const verdict = checkUpdatePermissions(target, update, as, { decoded });
    const t2 = process.hrtime.bigint();
    Y.applyUpdate(target, update);
    const t3 = process.hrtime.bigint();
    if (verdict.kind !== 'allowed') throw new Error(`${name}: update ${index} was ${verdict.kind}`);
    if (index < WARMUP) continue;
    decode += t1 - t0;
    check += t2 - t1;
    integrate += t3 - t2;
    bytes += update.byteLength;
  }
  const us = (ns: bigint) => Number(ns) / 1_000 / ROUNDS;
  const figures = { decodeUs: us(decode), integrateUs: us(integrate), checkUs: us(check) };
  const ratio = figures.checkUs / (figures.decodeUs + figures.integrateUs);
  headline[name] = { ...figures, ratio };
  console.log(
    `| ${name} | ${(bytes / ROUNDS).toFixed(0)} | ${figures.decodeUs.toFixed(1)} | ${figures.integrateUs.toFixed(1)} | ` +
      `${figures.checkUs.toFixed(1)} | ${ratio.toFixed(2)}× |`,
  );
}
console.log('');
console.log(
  `Single updates, each judged ${ROUNDS} times against the board as it stands (check decodes itself here), µs each:`,
);
console.log('');
console.log('| update | bytes | verdict | check | decode | check − decode |');
console.log('| --- | ---: | --- | ---: | ---: | ---: |');
for (const { name, update, as } of cases) {
  const verdict = checkUpdatePermissions(server, update, as).kind;
  const check = time(() => checkUpdatePermissions(server, update, as), ROUNDS);
  const decode = time(() => Y.decodeUpdate(update), ROUNDS);
  console.log(
    `| ${name} | ${update.byteLength} | ${verdict} | ${check.toFixed(1)} | ${decode.toFixed(1)} | ` +
      `${(check - decode).toFixed(1)} |`,
  );
}
// For scale: what a clone of the board per update would cost (the check resolves against the room's own document).
const integrateAll = time(() => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, copy);
}, 5);
console.log('');
console.log(
  `(loading the whole board into a new doc, what a clone per update would cost: ${(integrateAll / 1000).toFixed(1)} ms)`,
);
