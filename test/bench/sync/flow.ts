// Edits and their deliveries. Writer w types `[w:seq]` at the end of the notes of one agenda item (a free topic the
// first client adds, `prepareBoard`): an edit every participant may make on Lastmile's board (the permission table,
// server/domain/board-permissions.ts), and plain Yjs for the references. The send time of every (writer, seq) is
// kept here (all clients live in this process, so one clock). A receiver that sees writer w's seq b after a
// received every edit a+1…b at that moment, so servers that merge updates are counted fairly. Lastmile's
// acknowledgements are matched to edits by the writer's own clock.
import * as Y from 'yjs';
import { addItem, itemsOf, notesOf } from '../../../server/domain/board.ts';
import type { BenchClient } from './clients.ts';
import { sleep } from './connect.ts';

/** The agenda item whose notes the writers type into. */
export const BENCH_ITEM = 'bench';
const TOKEN = /\[(\d+):(\d+)\]/g;

/** The notes the writers type into, added by the first client if the board lacks them (and everyone has them). */
export async function prepareBoard(clients: BenchClient[]): Promise<void> {
  const first = clients[0]!;
  if (!notesOf(first.doc, BENCH_ITEM)) addItem(first.doc, { id: BENCH_ITEM, kind: 'free', title: 'Bench notes' });
  const deadline = Date.now() + 30_000;
  while (!clients.every((client) => notesOf(client.doc, BENCH_ITEM))) {
    if (Date.now() > deadline) throw new Error('the bench notes did not reach every client (refused?)');
    await sleep(20);
  }
}

/** One typed edit (at the end of the bench notes, as someone adding to them). */
export function typeInto(doc: Y.Doc, token: string): void {
  const notes = notesOf(doc, BENCH_ITEM);
  if (!notes) throw new Error('no bench notes: prepareBoard first');
  notes.insert(notes.length, token);
}

export class DeliveryFlow {
  readonly #sentAt: number[][] = [];
  readonly #remaining: number[][] = [];
  readonly #ackQueues = new Map<number, { clock: number; sentAt: number }[]>();
  #windowStart = Infinity;
  #windowEnd = Infinity;
  /** Deliveries received inside the measurement window (throughput). */
  deliveries = 0;
  /** Delivery latencies (ms) of edits sent inside the window. */
  readonly latencies: number[] = [];
  /** Edit → durable acknowledgement (ms), Lastmile only, for edits sent inside the window. */
  readonly ackLatencies: number[] = [];
  /** Called when every receiver expected at send time has an edit (closed loop). */
  onComplete?: (writer: number, seq: number) => void;

  constructor(readonly keepLatencies = true) {}

  startWindow(): void {
    this.#windowStart = performance.now();
    this.#windowEnd = Infinity;
  }

  endWindow(): number {
    this.#windowEnd = performance.now();
    return (this.#windowEnd - this.#windowStart) / 1000;
  }

  #inWindow(time: number): boolean {
    return time >= this.#windowStart && time <= this.#windowEnd;
  }

  /** Counts what `client` (as participant `id`) receives from now on. */
  receive(client: BenchClient, id: number): void {
    const lastSeen = new Map<number, number>();
    itemsOf(client.doc).observeDeep((events) => {
      const now = performance.now();
      for (const event of events) {
        if (!(event.target instanceof Y.Text)) continue;
        for (const op of event.delta) {
          if (typeof op.insert !== 'string') continue;
          for (const [, w, s] of op.insert.matchAll(TOKEN)) this.#received(Number(w), Number(s), id, lastSeen, now);
        }
      }
    });
  }

  #received(writer: number, seq: number, id: number, lastSeen: Map<number, number>, now: number): void {
    if (writer === id) return;
    const sent = this.#sentAt[writer];
    if (!sent) return;
    for (let s = (lastSeen.get(writer) ?? 0) + 1; s <= seq; s++) {
      const sentAt = sent[s];
      if (sentAt === undefined) continue;
      if (this.#inWindow(now)) this.deliveries += 1;
      if (this.keepLatencies && this.#inWindow(sentAt)) this.latencies.push(now - sentAt);
      const remaining = this.#remaining[writer];
      const left = remaining?.[s];
      if (remaining && left !== undefined) {
        remaining[s] = left - 1;
        if (left === 1) this.onComplete?.(writer, s);
      }
    }
    lastSeen.set(writer, Math.max(seq, lastSeen.get(writer) ?? 0));
  }

  /** Follows Lastmile's acknowledgements of `client`'s own edits (as writer `id`). */
  followAcks(client: BenchClient, id: number): void {
    const pending: { clock: number; sentAt: number }[] = [];
    const doc = client.doc;
    const previous = client.onAck;
    client.onAck = (committed) => {
      previous?.(committed);
      const now = performance.now();
      const durable = committed.get(doc.clientID) ?? 0;
      while (pending.length > 0 && pending[0]!.clock <= durable) {
        const { sentAt } = pending.shift()!;
        if (this.#inWindow(sentAt)) this.ackLatencies.push(now - sentAt);
      }
    };
    this.#ackQueues.set(id, pending);
  }

  /** Writer `id` edits once; `expectedReceivers` completes it (closed loop). Returns the sequence number. */
  edit(client: BenchClient, id: number, expectedReceivers = 0): number {
    const sent = (this.#sentAt[id] ??= [0]);
    const seq = sent.length;
    const now = performance.now();
    sent.push(now);
    if (expectedReceivers > 0) (this.#remaining[id] ??= [])[seq] = expectedReceivers;
    typeInto(client.doc, `[${id}:${seq}]`);
    // A state vector entry is the next clock: this edit is durable once the committed clock reaches it.
    this.#ackQueues.get(id)?.push({ clock: Y.getState(client.doc.store, client.doc.clientID), sentAt: now });
    return seq;
  }

  /** Gives up on a closed-loop edit (a receiver went away). */
  abandon(writer: number, seq: number): void {
    const remaining = this.#remaining[writer];
    if (remaining) delete remaining[seq];
  }
}

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
