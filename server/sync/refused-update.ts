// Refusing a document update without splitting the board in two. The writer's client has the update already and
// will build on it, so the server cannot simply drop it: it integrates the update and deletes everything the update
// inserted, in the same transaction. Yjs then keeps only tombstones (ids, positions and lengths: a few bytes for a
// whole pasted document), the update that goes out, to the log and to everyone including the writer, carries the
// deletion, and the writer's board converges back to the server's. The update's own deletions stand: Yjs cannot
// undo a deletion, and keeping them is what lets every board converge.
import * as Y from 'yjs';

/**
 * Applies `update` to `doc` as the deletion of all it inserts, in one transaction with `origin`. If part of the
 * update waits for predecessors, it stays in the document's pending structs: the caller decides what to do.
 */
export function applyAsDeleted(doc: Y.Doc, update: Uint8Array, origin: unknown): void {
  const store = doc.store;
  const { to } = Y.parseUpdateMeta(update);
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
  }, origin);
}
