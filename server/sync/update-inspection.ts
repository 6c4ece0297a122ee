// The writes a client's document update would make on a room's board, found from its structs and delete set
// without applying it; update-permissions.ts judges them against the permission table.
// It stays one file of about 350 lines because it is one class: placing a struct, its slot and its deletions all
// read the same caches of the update's structs and placements.
//
// How. The update is decoded (`Y.decodeUpdate`: its structs and its delete set) and each struct is placed the way
// Yjs's own integration would place it (`Item.getMissing`): its parent is named directly (a root type, or the item
// holding a type, possibly one created in the same update), or inherited from its left origin, else its right
// origin; an origin or parent that Yjs garbage-collects makes the struct garbage too (no effect). The parent chain
// gives a path (`items.<id>.votes.<userId>`), and a map entry is a `create` or a `change` depending on whether the
// key has a live value in the room's document (integrating a map entry deletes the value it follows, whether or
// not the delete set says so; a dead entry, deleted content or deleted by the update itself, over a live value is
// a `delete`). Every live struct of the document that the delete set covers is a `delete` of its path, unless an
// ancestor goes with it in the same update (that deletion is the one write) or a new value of the same key in the
// update covers it (a `change`). Writes into what is already deleted change nothing and are let through.
//
// Why not apply the update to a clone and diff: cloning the board costs time and memory in proportion to the
// whole document (10,000 updates of history) on every keystroke; inspecting the structs costs a binary search per
// struct and per origin, in proportion to the update. The vote limit is computed the same way, from the room's
// votes and the update's writes, only when the update writes votes.
import * as Y from 'yjs';
import { CONTENT_SEGMENT, type BoardPath } from '../domain/board-paths.ts';
import type { BoardWrite, WriteFacts } from '../domain/board-permissions.ts';

/** The update refers to structs the room does not have (and it does not carry). */
export class Incomplete extends Error {}
/** The update refers to itself in ways Yjs cannot integrate. */
export class Malformed extends Error {}

export type Struct = Y.Item | Y.GC | Y.Skip;
/** Any shared type, as Yjs types its parents. */
type AnyType = Y.AbstractType<any>;
/** `Y.decodeUpdate`'s delete set (Yjs does not export the class's type). */
export type DecodedDeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];

/** Where a struct of the update lands. */
type Container =
  | { kind: 'type'; type: AnyType }
  | { kind: 'new'; item: Y.Item }
  | { kind: 'root'; name: string }
  /** Yjs turns the struct into garbage: it changes nothing. */
  | { kind: 'void' };

interface Placement {
  container: Container;
  key: string | null;
}

/** The new values an update gives one key of one map. */
interface Slot {
  path: BoardPath;
  /** The key has a live value in the room's document (which integrating any of them deletes). */
  live: boolean;
  /** Values that stay (not deleted content, not deleted by the update itself). */
  values: unknown[];
}

export interface Write {
  path: BoardPath;
  write: BoardWrite;
  value?: unknown;
  facts: WriteFacts;
}

/** Resolves an update's structs and delete set into the writes they make on the room's document. */
export class Inspection {
  readonly #doc: Y.Doc;
  readonly #store: Y.Doc['store'];
  /** The update's structs by client, in clock order. */
  readonly #structs = new Map<number, Struct[]>();
  /** The update's delete set by client: sorted, merged [clock, end) ranges. */
  readonly #deletes = new Map<number, [number, number][]>();
  readonly #placements = new Map<Y.Item, Placement | 'resolving'>();
  readonly #paths = new Map<AnyType, BoardPath>();
  readonly #rootNames = new Map<AnyType, string>();
  /** Live values of the room's document that new values in the update replace. */
  readonly #replaced = new Set<Y.Item>();
  /** Map entries (container + key) the update writes new values to. */
  readonly #slots = new Map<AnyType | Y.Item | string, Map<string, Slot>>();
  readonly #writes: Write[] = [];

  constructor(doc: Y.Doc, structs: Struct[], ds: DecodedDeleteSet) {
    this.#doc = doc;
    this.#store = doc.store;
    for (const [name, type] of doc.share) this.#rootNames.set(type, name);
    for (const struct of structs) {
      const list = this.#structs.get(struct.id.client) ?? [];
      list.push(struct);
      this.#structs.set(struct.id.client, list);
    }
    for (const [client, list] of this.#structs) {
      list.sort((a, b) => a.id.clock - b.id.clock);
      for (let index = 1; index < list.length; index++) {
        const previous = list[index - 1]!;
        if (previous.id.clock + previous.length > list[index]!.id.clock) throw new Malformed(`overlap in ${client}`);
      }
    }
    for (const [client, items] of ds.clients) {
      const ranges = items
        .filter((item) => item.len > 0)
        .map((item): [number, number] => [item.clock, item.clock + item.len])
        .sort((a, b) => a[0] - b[0]);
      const merged: [number, number][] = [];
      for (const range of ranges) {
        const last = merged.at(-1);
        if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
        else merged.push(range);
      }
      if (merged.length > 0) this.#deletes.set(client, merged);
    }
  }

  writes(): Write[] {
    for (const [client, list] of this.#structs) {
      const state = Y.getState(this.#store, client);
      let expected = state;
      for (const struct of list) {
        const end = struct.id.clock + struct.length;
        if (end <= state) continue; // the room has it already
        if (struct.id.clock > expected || struct instanceof Y.Skip) throw new Incomplete();
        expected = end;
        if (struct instanceof Y.Item) this.#inspectNew(struct);
      }
    }
    this.#classifySlots();
    for (const [client, ranges] of this.#deletes) for (const range of ranges) this.#inspectDeletion(client, range);
    return this.#writes;
  }

  #inspectNew(item: Y.Item): void {
    const { container, key } = this.#placementOf(item);
    if (container.kind === 'void' || this.#isDead(container)) return;
    const path = [...this.#pathOf(container), key ?? CONTENT_SEGMENT];
    const dead = item.content instanceof Y.ContentDeleted || this.#deletedByUpdate(item.id, item.length);
    if (key === null) {
      if (dead) return;
      const write = item.content instanceof Y.ContentFormat ? 'change' : 'create';
      this.#writes.push({ path, write, facts: this.#factsFor(path) });
      return;
    }
    const owner =
      container.kind === 'type' ? container.type : container.kind === 'new' ? container.item : container.name;
    const slots = this.#slots.get(owner) ?? new Map<string, Slot>();
    this.#slots.set(owner, slots);
    let slot = slots.get(key);
    if (!slot) {
      const live = container.kind === 'type' ? liveEntry(container.type, key) : null;
      if (live) this.#replaced.add(live);
      slot = { path, live: live !== null, values: [] };
      slots.set(key, slot);
    }
    if (!dead) slot.values.push(valueOf(item.content));
  }

  /**
   * A key's new values in the update: each one that stays is a create or a change (all are checked: Yjs keeps one,
   * by client order); when none stays, the key's live value goes: a delete.
   */
  #classifySlots(): void {
    for (const slots of this.#slots.values())
      for (const { path, live, values } of slots.values()) {
        const facts = this.#factsFor(path);
        if (values.length === 0) {
          if (live) this.#writes.push({ path, write: 'delete', facts });
          continue;
        }
        for (const value of values) this.#writes.push({ path, write: live ? 'change' : 'create', value, facts });
      }
  }

  #inspectDeletion(client: number, [clock, end]: [number, number]): void {
    const state = Y.getState(this.#store, client);
    if (clock < state) {
      const structs = this.#store.clients.get(client)!;
      for (let index = Y.findIndexSS(structs, clock); index < structs.length; index++) {
        const struct = structs[index]!;
        if (struct.id.clock >= end) break;
        if (struct instanceof Y.Item && !struct.deleted) this.#inspectDeletedItem(struct);
      }
    }
    // Deletions of what the room does not have must be of structs the update itself carries.
    for (let at = Math.max(clock, state); at < end;) {
      const struct = this.#updateStruct(client, at);
      if (!struct || struct instanceof Y.Skip) throw new Incomplete();
      at = struct.id.clock + struct.length;
    }
  }

  #inspectDeletedItem(item: Y.Item): void {
    const parent = item.parent as AnyType | null;
    if (!parent || this.#isDead({ kind: 'type', type: parent })) return;
    // An ancestor that goes in the same update (deleted or replaced) is the one write.
    for (let type: AnyType | null = parent; type?._item; type = type._item.parent as AnyType | null)
      if (this.#replaced.has(type._item) || this.#deletedByUpdate(type._item.id, type._item.length)) return;
    const key = item.parentSub;
    if (key !== null && this.#slots.get(parent)?.has(key)) return; // part of a change of that key
    const path = [...this.#pathOf({ kind: 'type', type: parent }), key ?? CONTENT_SEGMENT];
    this.#writes.push({ path, write: 'delete', facts: this.#factsFor(path) });
  }

  /** The struct containing this id: the room's, or the update's; Incomplete when neither has it. */
  #find(id: Y.ID): Y.Item | Y.GC {
    if (id.clock < Y.getState(this.#store, id.client)) return Y.getItem(this.#store, id) as Y.Item | Y.GC;
    const struct = this.#updateStruct(id.client, id.clock);
    if (!struct || struct instanceof Y.Skip) throw new Incomplete();
    return struct;
  }

  #isFromUpdate(struct: Y.Item | Y.GC): boolean {
    return struct.id.clock + struct.length > Y.getState(this.#store, struct.id.client);
  }

  #updateStruct(client: number, clock: number): Struct | null {
    const list = this.#structs.get(client);
    if (!list) return null;
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const struct = list[middle]!;
      if (clock < struct.id.clock) high = middle - 1;
      else if (clock >= struct.id.clock + struct.length) low = middle + 1;
      else return struct;
    }
    return null;
  }

  /** Mirrors `Item.getMissing`: where Yjs would integrate this struct of the update. */
  #placementOf(item: Y.Item): Placement {
    const known = this.#placements.get(item);
    if (known === 'resolving') throw new Malformed('a struct placed relative to itself');
    if (known) return known;
    this.#placements.set(item, 'resolving');
    const placement = this.#resolve(item);
    this.#placements.set(item, placement);
    return placement;
  }

  #resolve(item: Y.Item): Placement {
    const voided: Placement = { container: { kind: 'void' }, key: null };
    for (const reference of [item.origin, item.rightOrigin, item.parent instanceof Y.ID ? item.parent : null])
      // Yjs integrates a client's structs in clock order: a reference forward into its own client never resolves.
      if (reference && reference.client === item.id.client && reference.clock >= item.id.clock)
        throw new Malformed('a struct refers to a later struct of its client');
    const left = item.origin ? this.#find(item.origin) : null;
    const right = item.rightOrigin ? this.#find(item.rightOrigin) : null;
    if (left instanceof Y.GC || right instanceof Y.GC) return voided;
    if (item.parent === null) {
      const neighbour = left instanceof Y.Item ? left : right instanceof Y.Item ? right : null;
      if (!neighbour) return voided;
      if (this.#isFromUpdate(neighbour)) return this.#placementOf(neighbour);
      const parent = neighbour.parent as AnyType | null;
      return parent ? { container: { kind: 'type', type: parent }, key: neighbour.parentSub } : voided;
    }
    const named: unknown = item.parent;
    if (typeof named === 'string') {
      const name = named;
      const type = this.#doc.share.get(name);
      return { container: type ? { kind: 'type', type } : { kind: 'root', name }, key: item.parentSub };
    }
    const holder = this.#find(item.parent as Y.ID);
    if (!(holder instanceof Y.Item) || !(holder.content instanceof Y.ContentType)) return voided;
    const container: Container = this.#isFromUpdate(holder)
      ? { kind: 'new', item: holder }
      : { kind: 'type', type: holder.content.type as AnyType };
    return { container, key: item.parentSub };
  }

  /** Whether what the container holds is deleted already or goes in this update: writes into it change nothing. */
  #isDead(container: Container): boolean {
    if (container.kind === 'type') {
      for (let type: AnyType | null = container.type; type?._item; type = type._item.parent as AnyType | null)
        if (type._item.deleted) return true;
      return false;
    }
    if (container.kind !== 'new') return false;
    const holder = container.item;
    if (holder.content instanceof Y.ContentDeleted || this.#deletedByUpdate(holder.id, holder.length)) return true;
    const outer = this.#placementOf(holder).container;
    return outer.kind === 'void' || this.#isDead(outer);
  }

  #deletedByUpdate(id: Y.ID, length: number): boolean {
    const ranges = this.#deletes.get(id.client);
    if (!ranges) return false;
    let low = 0;
    let high = ranges.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const [start, end] = ranges[middle]!;
      if (id.clock < start) high = middle - 1;
      else if (id.clock >= end) low = middle + 1;
      else return id.clock + length <= end;
    }
    return false;
  }

  #pathOf(container: Container): BoardPath {
    if (container.kind === 'root') return [container.name];
    if (container.kind === 'new') {
      const { container: outer, key } = this.#placementOf(container.item);
      return [...this.#pathOf(outer), key ?? CONTENT_SEGMENT];
    }
    if (container.kind === 'void') return [];
    const cached = this.#paths.get(container.type);
    if (cached) return cached;
    const segments: string[] = [];
    let type: AnyType = container.type;
    while (type._item) {
      segments.unshift(type._item.parentSub ?? CONTENT_SEGMENT);
      type = type._item.parent as AnyType;
    }
    segments.unshift(this.#rootNames.get(type) ?? '?');
    this.#paths.set(container.type, segments);
    return segments;
  }

  /** What the rules need to know about the board as it stands (before the update). */
  #factsFor(path: BoardPath): WriteFacts {
    if (path[0] !== 'items' || path.length < 2) return {};
    const item = this.#doc.getMap<Y.Map<unknown>>('items').get(path[1]!);
    if (!(item instanceof Y.Map)) return {};
    if (path.length === 2)
      return { freeTopicPresenterId: item.get('kind') === 'free' ? asString(item.get('presenterId')) : null };
    if (path[2] === 'decisions' && path.length >= 4) {
      const decisions = item.get('decisions');
      const decision = decisions instanceof Y.Map ? decisions.get(path[3]!) : undefined;
      return { recorded: decision instanceof Y.Map && typeof decision.get('actionItemId') === 'string' };
    }
    return {};
  }
}

function liveEntry(type: AnyType, key: string): Y.Item | null {
  const entry = type._map.get(key);
  return entry && !entry.deleted ? entry : null;
}

function valueOf(content: Y.Item['content']): unknown {
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) return content.getContent().at(-1);
  if (content instanceof Y.ContentType) return content.type;
  return content;
}

const asString = (value: unknown) => (typeof value === 'string' ? value : null);
