// Loading one room: the review's board from PostgreSQL (latest snapshot plus the tail) into a new Y.Doc in one
// transaction, before anything listens to it (nothing is logged again), then the sink that makes its updates
// durable: a BoardWriter, or with Redis a SharedBoard, subscribed and caught up with the stream before anyone joins.
// A failed load leaves nothing behind, so an empty document can never overwrite a stored board (rooms.ts).
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Sql } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import { loadBoard, type StoredBoard } from '../store/board-log.ts';
import type { BoardCommitter } from './board-committer.ts';
import { BoardWriter } from './board-writer.ts';
import { LOAD_ORIGIN, REMOTE_ORIGIN } from './origins.ts';
import type { RedisHub } from './redis-hub.ts';
import { Room } from './room.ts';
import { SharedBoard } from './shared-board.ts';
import type { UpdateChecker } from './update-check.ts';

export interface RoomLoadOptions {
  sql: Sql;
  logger: Logger;
  flushDelayMs: number;
  snapshotEvery: number;
  checker: UpdateChecker;
  judgeUpdates: boolean;
  hub: RedisHub | undefined;
  /** This process's writer for the boards of all its rooms (without Redis). */
  committer: BoardCommitter;
}

/** Loads the review's room; `onCommitted` follows each commit, after the room's clients were acknowledged. */
export async function loadRoom(
  options: RoomLoadOptions,
  reviewId: string,
  onCommitted: (reviewId: string) => void,
): Promise<Room> {
  const stored = await loadBoard(options.sql, reviewId);
  // The stored board is read in a function of its own: a closure here would keep it in memory with the room.
  const doc = boardDoc(stored);
  const room = new Room(reviewId, doc, options.logger, options.checker, options.judgeUpdates);
  const sink = {
    reviewId,
    doc,
    logger: options.logger,
    snapshotEvery: options.snapshotEvery,
    updatesSinceSnapshot: stored.tail.length,
    onCommitted: (stateVector: Uint8Array) => {
      room.acknowledge(stateVector);
      onCommitted(reviewId);
    },
  };
  if (!options.hub) {
    room.attachWriter(new BoardWriter({ ...sink, committer: options.committer }));
    return room;
  }
  const board = new SharedBoard({
    ...sink,
    sql: options.sql,
    flushDelayMs: options.flushDelayMs,
    hub: options.hub,
    cursor: stored.streamCursor,
    onAwareness: (update) => awarenessProtocol.applyAwarenessUpdate(room.awareness, update, REMOTE_ORIGIN),
    localAwareness: () => room.localAwareness(),
  });
  room.attachWriter(board);
  try {
    await board.start();
  } catch (error) {
    board.stop();
    room.destroy();
    throw error;
  }
  return room;
}

function boardDoc(stored: StoredBoard): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot.state, LOAD_ORIGIN);
    for (const { update } of stored.tail) Y.applyUpdate(doc, update, LOAD_ORIGIN);
  }, LOAD_ORIGIN);
  return doc;
}
