// The board's update log and snapshots: every Yjs update is kept (replay needs them all); a snapshot equals the
// updates up to its sequence number, so loading a board reads one snapshot and the tail after it.
import { transaction, type Db } from '../db/connect.ts';
import { compareStreamIds } from '../domain/stream-ids.ts';
import { BYTEA_ARRAY, bytea, TIMESTAMPTZ_ARRAY, UUID_ARRAY } from './pg-arrays.ts';

export interface LoggedUpdate {
  update: Uint8Array;
  /** null for the server's own edits. */
  authorId: string | null;
  at: Date;
}

export interface StoredBoard {
  snapshot: { uptoSeq: number; state: Uint8Array } | null;
  /** Updates after the snapshot, in sequence order. */
  tail: { seq: number; update: Uint8Array }[];
  /** The last sequence number in the log. */
  lastSeq: number;
  /** With several processes: the id of the last Redis stream entry persisted (null if there never was one). */
  streamCursor: string | null;
}

/** The latest snapshot and every update after it. */
export async function loadBoard(sql: Db, reviewId: string): Promise<StoredBoard> {
  return transaction(sql, async (tx) => {
    // One snapshot of the database for both reads (repeatable read), so a commit in between cannot split them.
    await tx`set transaction isolation level repeatable read`;
    const [snapshot] = await tx<{ uptoSeq: string; state: Buffer }[]>`
      select
        upto_seq::text,
        state
      from board_snapshots
      where review_id = ${reviewId}
      order by board_snapshots.upto_seq desc
      limit 1
    `;
    const uptoSeq = snapshot ? Number(snapshot.uptoSeq) : 0;
    const tail = await tx<{ seq: string; update: Buffer }[]>`
      select
        seq::text,
        update
      from board_updates
      where review_id = ${reviewId} and seq > ${uptoSeq}
      order by board_updates.seq
    `;
    const [review] = await tx<{ boardSeq: string; boardStreamId: string | null }[]>`
      select
        board_seq::text,
        board_stream_id
      from reviews
      where id = ${reviewId}
    `;
    return {
      snapshot: snapshot ? { uptoSeq, state: new Uint8Array(snapshot.state) } : null,
      tail: tail.map((row) => ({ seq: Number(row.seq), update: new Uint8Array(row.update) })),
      lastSeq: Number(review?.boardSeq ?? 0),
      streamCursor: review?.boardStreamId ?? null,
    };
  });
}

/**
 * Appends updates in one transaction, numbering them under the review's row lock (no gaps, never visible out of
 * order), with an optional snapshot equal to the log up to the last of them. Returns the last sequence number.
 * With `stream` (an entry id per update, ascending, and the cursor the batch reaches), updates at or before the
 * stored stream cursor are skipped as already written, and the cursor moves on.
 */
export async function appendBoardUpdates(
  sql: Db,
  reviewId: string,
  updates: LoggedUpdate[],
  snapshot?: Uint8Array,
  stream?: { ids: string[]; cursor: string },
): Promise<number> {
  if (!stream) return appendInOneStatement(sql, reviewId, updates, snapshot);
  return transaction(sql, async (tx) => {
    const [review] = await tx<{ boardSeq: string; boardStreamId: string | null }[]>`
      select
        board_seq::text,
        board_stream_id
      from reviews
      where id = ${reviewId}
      for update
    `;
    if (!review) throw new Error(`Review ${reviewId} does not exist`);
    if (stream) {
      const stored = review.boardStreamId;
      updates = updates.filter((_, index) => stored === null || compareStreamIds(stream.ids[index]!, stored) > 0);
      if (stored === null || compareStreamIds(stream.cursor, stored) > 0)
        await tx`
          update reviews
          set board_stream_id = ${stream.cursor}
          where id = ${reviewId}
        `;
    }
    const first = Number(review.boardSeq) + 1;
    const last = first + updates.length - 1;
    if (updates.length > 0) {
      const rows = updates.map((u, index) => ({
        review_id: reviewId,
        seq: first + index,
        update: Buffer.from(u.update.buffer, u.update.byteOffset, u.update.byteLength),
        author_id: u.authorId,
        created_at: u.at,
      }));
      await tx`
        insert into board_updates ${tx(rows, 'review_id', 'seq', 'update', 'author_id', 'created_at')}
      `;
      await tx`
        update reviews
        set board_seq = ${last}
        where id = ${reviewId}
      `;
    }
    if (snapshot) {
      await tx`
        insert into board_snapshots (review_id, upto_seq, state)
        values (${reviewId}, ${last}, ${Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength)})
        on conflict (review_id, upto_seq) do update set state = excluded.state
      `;
    }
    return last;
  });
}

/**
 * The common case of appendBoardUpdates, in one statement (one round trip; its own transaction unless `sql` is
 * one): bumping the review's sequence takes its row lock, so numbering is as in the transaction above.
 */
async function appendInOneStatement(
  sql: Db,
  reviewId: string,
  updates: LoggedUpdate[],
  snapshot: Uint8Array | undefined,
): Promise<number> {
  const count = updates.length;
  const [row] = await sql<{ last: string }[]>`
    with review as (
      update reviews
      set board_seq = board_seq + ${count}
      where id = ${reviewId}
      returning board_seq - ${count} as before
    ),
    logged as (
      insert into board_updates (review_id, seq, update, author_id, created_at)
      select ${reviewId}, review.before + u.position, u.update, u.author_id, u.created_at
      from review, unnest(
        ${sql.array(
          updates.map((u) => bytea(u.update)),
          BYTEA_ARRAY,
        )},
        ${sql.array(
          updates.map((u) => u.authorId),
          UUID_ARRAY,
        )},
        ${sql.array(
          updates.map((u) => u.at),
          TIMESTAMPTZ_ARRAY,
        )}
      ) with ordinality as u(update, author_id, created_at, position)
    )${
      snapshot
        ? sql`,
    snapshot as (
      insert into board_snapshots (review_id, upto_seq, state)
      select ${reviewId}, review.before + ${count}, ${bytea(snapshot)}
      from review
      on conflict (review_id, upto_seq) do update set state = excluded.state
    )`
        : sql``
    }
    select (review.before + ${count})::text as last
    from review
  `;
  if (!row) throw new Error(`Review ${reviewId} does not exist`);
  return Number(row.last);
}

/** Where persistence of the review's Redis stream stands, for a process taking the room over. */
export async function readStreamCursor(
  sql: Db,
  reviewId: string,
): Promise<{ cursor: string | null; updatesSinceSnapshot: number }> {
  const [row] = await sql<{ cursor: string | null; since: number }[]>`
    select
      r.board_stream_id as cursor,
      (r.board_seq - coalesce((select max(s.upto_seq) from board_snapshots s where s.review_id = r.id), 0))::int as since
    from reviews r
    where r.id = ${reviewId}
  `;
  return { cursor: row?.cursor ?? null, updatesSinceSnapshot: row?.since ?? 0 };
}

/** Every update with its author and time, in order: for replay and for checking a snapshot against the log. */
export async function listBoardUpdates(
  sql: Db,
  reviewId: string,
  options: { afterSeq?: number; limit?: number } = {},
): Promise<(LoggedUpdate & { seq: number })[]> {
  const rows = await sql<{ seq: string; update: Buffer; authorId: string | null; createdAt: Date }[]>`
    select
      seq::text,
      update,
      author_id,
      created_at
    from board_updates
    where review_id = ${reviewId} and seq > ${options.afterSeq ?? 0}
    order by board_updates.seq
    limit ${options.limit ?? 1_000_000}
  `;
  return rows.map((row) => ({
    seq: Number(row.seq),
    update: new Uint8Array(row.update),
    authorId: row.authorId,
    at: row.createdAt,
  }));
}

/** The board as it was after update `seq`: the latest snapshot at or before it and the updates after that. */
export async function loadBoardAt(
  sql: Db,
  reviewId: string,
  seq: number,
): Promise<{ base: Uint8Array | null; updates: Uint8Array[] }> {
  return transaction(sql, async (tx) => {
    await tx`set transaction isolation level repeatable read`;
    const [snapshot] = await tx<{ uptoSeq: string; state: Buffer }[]>`
      select
        upto_seq::text,
        state
      from board_snapshots
      where review_id = ${reviewId} and upto_seq <= ${seq}
      order by board_snapshots.upto_seq desc
      limit 1
    `;
    const from = snapshot ? Number(snapshot.uptoSeq) : 0;
    const rows = await tx<{ update: Buffer }[]>`
      select update
      from board_updates
      where review_id = ${reviewId} and seq > ${from} and seq <= ${seq}
      order by board_updates.seq
    `;
    return {
      base: snapshot ? new Uint8Array(snapshot.state) : null,
      updates: rows.map((row) => new Uint8Array(row.update)),
    };
  });
}

/** The last update committed at or before `at` (0 when none was). */
export async function seqAtTime(sql: Db, reviewId: string, at: Date): Promise<number> {
  const [row] = await sql<{ seq: string | null }[]>`
    select max(seq)::text as seq
    from board_updates
    where review_id = ${reviewId} and created_at <= ${at}
  `;
  return Number(row?.seq ?? 0);
}

/** How long the log runs and how many updates it holds. */
export async function boardLogSpan(
  sql: Db,
  reviewId: string,
): Promise<{ count: number; firstAt: Date | null; lastAt: Date | null }> {
  const [row] = await sql<{ count: number; firstAt: Date | null; lastAt: Date | null }[]>`
    select count(*)::int as count, min(created_at) as first_at, max(created_at) as last_at
    from board_updates
    where review_id = ${reviewId}
  `;
  return row ?? { count: 0, firstAt: null, lastAt: null };
}
