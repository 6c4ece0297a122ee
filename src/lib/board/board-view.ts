// The live board as Svelte reads it: getters that read the Y.Doc at the moment a component renders, each bound
// through createSubscriber to the Yjs events of just what it reads. An item's title, its votes, its decisions, the
// agenda's order and each of the room's fields notify their own readers only: a keystroke in one item's notes
// re-renders nobody but that item's notes readers, and nothing is copied into $state. Read outside an effect, a
// getter still returns the board as it is now (it subscribes to nothing then).
import { createSubscriber } from 'svelte/reactivity';
import * as Y from 'yjs';
import {
  byOrder,
  itemsOf,
  readCommitments,
  readDecisions,
  readItemFields,
  readRoom,
  readVotes,
  roomOf,
  type AgendaItemView,
  type ItemFields,
  type RoomView,
} from '../../../server/domain/board.ts';

type Subscribe = () => void;
type YEvents = Y.YEvent<Y.AbstractType<unknown>>[];

/** A change of `key` on the observed map itself, or anything inside the entry at `key`. */
const touches = (events: YEvents, key: string) =>
  events.some((event) => event.path[0] === key || (event.path.length === 0 && event.keys.has(key)));

/**
 * A subscribe function for the deep events of `type` that `relevant` picks: while some effect reads through it,
 * one deep observer runs; when the last such effect is gone, it is removed.
 */
function watch<T>(type: Y.Map<T>, relevant: (events: YEvents) => boolean): Subscribe {
  return createSubscriber((update) => {
    const observer = (events: YEvents) => {
      if (relevant(events)) update();
    };
    type.observeDeep(observer);
    return () => type.unobserveDeep(observer);
  });
}

/** One agenda item, read part by part from its Y.Map. Implements the view the domain's rules take. */
export class ItemView implements AgendaItemView {
  readonly #map: Y.Map<unknown>;
  readonly #fields: Subscribe;
  readonly #notes: Subscribe;
  readonly #votes: Subscribe;
  readonly #decisions: Subscribe;
  readonly #commitments: Subscribe;
  /** The id is the item's key: it never changes. */
  readonly id: string;

  constructor(map: Y.Map<unknown>, id: string) {
    this.#map = map;
    this.id = id;
    // The item's own fields change with the map itself; what it holds changes below them.
    this.#fields = watch(map, (events) => events.some((event) => event.path.length === 0));
    this.#notes = watch(map, (events) => touches(events, 'notes'));
    this.#votes = watch(map, (events) => touches(events, 'votes'));
    this.#decisions = watch(map, (events) => touches(events, 'decisions'));
    this.#commitments = watch(map, (events) => touches(events, 'commitments'));
  }

  #read<K extends keyof ItemFields>(key: K): ItemFields[K] {
    this.#fields();
    // An item that stops fitting the schema is left out of the agenda at its next read; until then it reads empty.
    const fields = readItemFields(this.#map);
    return (fields ?? EMPTY_FIELDS)[key];
  }

  get kind() {
    return this.#read('kind');
  }
  get title() {
    return this.#read('title');
  }
  get order() {
    return this.#read('order');
  }
  get metricId() {
    return this.#read('metricId');
  }
  get initiativeId() {
    return this.#read('initiativeId');
  }
  get presenterId() {
    return this.#read('presenterId');
  }
  get timeboxMinutes() {
    return this.#read('timeboxMinutes');
  }
  get triage() {
    return this.#read('triage');
  }
  /** The notes as text; the editor binds to the Y.Text itself (notesOf) and never reads this. */
  get notes(): string {
    this.#notes();
    const notes = this.#map.get('notes');
    return notes instanceof Y.Text ? notes.toString() : '';
  }
  get votes(): Record<string, number> {
    this.#votes();
    return readVotes(this.#map.get('votes')).votes;
  }
  get voteTotal(): number {
    this.#votes();
    return readVotes(this.#map.get('votes')).voteTotal;
  }
  get decisions() {
    this.#decisions();
    return readDecisions(this.#map.get('decisions'));
  }
  get commitments() {
    this.#commitments();
    return readCommitments(this.#map.get('commitments'));
  }
}

const EMPTY_FIELDS: ItemFields = {
  id: '',
  kind: 'free',
  title: '',
  order: 0,
  metricId: null,
  initiativeId: null,
  presenterId: null,
  timeboxMinutes: 0,
  triage: null,
};

/** The room's fields (where it is, its phase, timer, follow-me…), each notifying only its own readers. */
export class RoomFields implements RoomView {
  readonly #doc: Y.Doc;
  readonly #watchers = new Map<keyof RoomView, Subscribe>();

  constructor(doc: Y.Doc) {
    this.#doc = doc;
  }

  #read<K extends keyof RoomView>(key: K): RoomView[K] {
    let subscribe = this.#watchers.get(key);
    if (!subscribe) {
      subscribe = watch(roomOf(this.#doc), (events) => touches(events, key));
      this.#watchers.set(key, subscribe);
    }
    subscribe();
    return readRoom(this.#doc)[key];
  }

  get currentItemId() {
    return this.#read('currentItemId');
  }
  get phase() {
    return this.#read('phase');
  }
  get votesPerPerson() {
    return this.#read('votesPerPerson');
  }
  get timer() {
    return this.#read('timer');
  }
  get follow() {
    return this.#read('follow');
  }
  get facilitatorId() {
    return this.#read('facilitatorId');
  }
  get reviewRevision() {
    return this.#read('reviewRevision');
  }
}

/** The agenda and the room of one board. */
export class BoardView {
  readonly room: RoomFields;
  readonly #doc: Y.Doc;
  readonly #items = new WeakMap<Y.Map<unknown>, ItemView>();
  /** Items come and go, or move: the agenda's order changes; nothing else does. */
  readonly #order: Subscribe;

  constructor(doc: Y.Doc) {
    this.#doc = doc;
    this.room = new RoomFields(doc);
    this.#order = watch(itemsOf(doc), (events) =>
      events.some((event) => event.path.length === 0 || (event.path.length === 1 && event.keys.has('order'))),
    );
  }

  #view(map: unknown): ItemView | null {
    if (!(map instanceof Y.Map)) return null;
    let view = this.#items.get(map);
    if (!view) {
      const fields = readItemFields(map);
      if (!fields) return null;
      view = new ItemView(map, fields.id);
      this.#items.set(map, view);
    }
    return view;
  }

  /** The agenda in order (by order, then id), entries that do not fit the schema left out. */
  get agenda(): ItemView[] {
    this.#order();
    // Sorted by the fields read here: reading each view's order would subscribe to all of each item's fields.
    const entries: { id: string; order: number; view: ItemView }[] = [];
    for (const map of itemsOf(this.#doc).values()) {
      const fields = map instanceof Y.Map ? readItemFields(map) : null;
      const view = fields && this.#view(map);
      if (view) entries.push({ id: fields.id, order: fields.order, view });
    }
    return entries.sort(byOrder).map((entry) => entry.view);
  }

  /** One item by id, or null when the board has none (or it does not fit the schema). */
  item(id: string | null): ItemView | null {
    if (id === null) return null;
    this.#order();
    return this.#view(itemsOf(this.#doc).get(id));
  }
}
