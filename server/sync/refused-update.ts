// Refusing a document update without splitting the board in two. The writer's client has the update already and
// will build on it, so the server cannot simply drop it: it integrates the update and deletes everything the update
// inserted, in the same transaction. Yjs then keeps only tombstones (ids, positions and lengths: a few bytes for a
// whole pasted document), the update that goes out, to the log and to everyone including the writer, carries the
// deletion, and the writer's board converges back to the server's. Yjs cannot undo a deletion, so what the update
// replaced or removed and must not have is put back by the server in that same transaction, as new values copied
// from the board as it stood before (`restore`): everyone, the writer too, ends with the board as it was.
import * as Y from 'yjs';
import type { RoomOrigin } from './origins.ts';

/** A value to put back: where it was, the entry it was (to tell whether it survived), and a copy of it. */
interface Saved {
  parent: Y.Map<unknown>;
  key: string;
  entry: Y.Item;
  copy: unknown;
  /** For a text: what it said, to tell whether the update removed some of it (its entry then stays live). */
  text: string | null;
}

/**
 * Applies `update` to `doc` as the deletion of all it inserts, in one transaction with `origin`, then puts back the
 * map entries at `restore` (paths of map keys from a root map, e.g. ['room', 'phase']) that it replaced or removed.
 * If part of the update waits for predecessors, it stays in the document's pending structs: the caller decides.
 */
export function applyAsDeleted(
  doc: Y.Doc,
  update: Uint8Array,
  origin: RoomOrigin,
  restore: readonly (readonly string[])[] = [],
): void {
  const store = doc.store;
  const { to } = Y.parseUpdateMeta(update);
  const saved = save(doc, restore);
  // Everything of these clients from their current clock on is what this update adds.
  const starts: [client: number, clock: number][] = [];
  for (const client of to.keys()) starts.push([client, Y.getState(store, client)]);
  doc.transact((transaction) => {
    Y.applyUpdate(doc, update);
    for (const [client, start] of starts) {
      const structs = store.clients.get(client);
      if (!structs || Y.getState(store, client) <= start) continue;
      for (let index = Y.findIndexSS(structs, start); index < structs.length; index++) {
        const struct = structs[index];
        if (struct instanceof Y.Item && !struct.deleted) struct.delete(transaction);
      }
    }
    // Applying an update marked the transaction remote, and Yjs would take the server's own writes below for
    // another client using the server's id (and give the document a new client id on every refusal). They are the
    // server's: the transaction is local again, and one update carries the deletion and what is put back, so no
    // state of the log lacks what the refusal keeps.
    transaction.local = true;
    for (const { parent, key, entry, copy, text } of saved) {
      if (isDeleted(parent)) continue;
      const changed = entry.deleted || (text !== null && String(parent.get(key)) !== text);
      if (changed) parent.set(key, copy);
    }
  }, origin);
}

/** Copies of the live values at the paths, outermost first; one inside another copied value is copied with it. */
function save(doc: Y.Doc, paths: readonly (readonly string[])[]): Saved[] {
  const sorted = [...paths].sort((a, b) => a.length - b.length);
  const saved: Saved[] = [];
  const copied: (readonly string[])[] = [];
  for (const path of sorted) {
    if (path.length < 2 || copied.some((outer) => outer.every((segment, index) => path[index] === segment))) continue;
    let parent = rootMap(doc, path[0]!);
    for (const segment of path.slice(1, -1)) {
      const next = parent?.get(segment);
      parent = next instanceof Y.Map ? next : undefined;
    }
    const key = path.at(-1)!;
    const entry = parent?._map.get(key);
    if (!parent || !entry || entry.deleted) continue;
    const value: unknown = parent.get(key);
    saved.push({
      parent,
      key,
      entry,
      copy: value instanceof Y.AbstractType ? value.clone() : value,
      text: value instanceof Y.Text ? value.toString() : null,
    });
    copied.push(path);
  }
  return saved;
}

/** A root map of the document (one that only updates defined yet is typed as a map now), or undefined. */
function rootMap(doc: Y.Doc, name: string): Y.Map<unknown> | undefined {
  if (!doc.share.has(name)) return undefined;
  try {
    return doc.getMap(name);
  } catch {
    return undefined; // defined as another type
  }
}

function isDeleted(type: Y.AbstractType<any>): boolean {
  for (let at: Y.AbstractType<any> | null = type; at?._item; at = at._item.parent as Y.AbstractType<any> | null)
    if (at._item.deleted) return true;
  return false;
}
