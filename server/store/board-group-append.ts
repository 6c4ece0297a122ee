// Cross-room group commit (server/sync/board-committer.ts): the queued updates of many reviews appended in one
// statement, numbered per review exactly as appendBoardUpdates numbers one review's (under its row lock, no gaps),
// each with its optional snapshot. One statement is one round trip and one transaction: one WAL flush for all
// the rooms instead of one per room.
import type { Db } from '../db/connect.ts';
import type { LoggedUpdate } from './board-log.ts';
import { BYTEA_ARRAY, bytea, INT4_ARRAY, TIMESTAMPTZ_ARRAY, UUID_ARRAY } from './pg-arrays.ts';

export interface ReviewBatch {
  reviewId: string;
  /** At least one, in the order they were applied. */
  updates: LoggedUpdate[];
  /** The board's state including these updates, stored as a snapshot at the last of them. */
  snapshot?: Uint8Array;
}

/**
 * Appends every batch in one statement. Returns each review's last sequence number; a review that does not exist
 * (deleted meanwhile) is absent from the result and nothing of its batch is written. Rows are locked in review id
 * order, so two such statements cannot deadlock each other.
 */
export async function appendBoardUpdatesOfReviews(sql: Db, batches: ReviewBatch[]): Promise<Map<string, number>> {
  if (batches.length === 0) return new Map();
  const ids = batches.map((batch) => batch.reviewId);
  if (new Set(ids).size !== ids.length) throw new Error('appendBoardUpdatesOfReviews: one batch per review');
  const rows = batches.flatMap((batch) =>
    batch.updates.map((update, index) => ({ batch, update, position: index + 1 })),
  );
  const snapshots = batches.filter((batch) => batch.snapshot);
  const result = await sql<{ id: string; last: string }[]>`
    with batch as (
      select b.review_id, b.count
      from unnest(
        ${sql.array(ids, UUID_ARRAY)},
        ${sql.array(
          batches.map((batch) => batch.updates.length),
          INT4_ARRAY,
        )}
      ) as b(review_id, count)
    ),
    locked as (
      select reviews.id
      from reviews
      where reviews.id in (select batch.review_id from batch)
      order by reviews.id
      for update
    ),
    bumped as (
      update reviews
      set board_seq = reviews.board_seq + batch.count
      from batch
      join locked on locked.id = batch.review_id
      where reviews.id = batch.review_id
      returning reviews.id, reviews.board_seq - batch.count as before, batch.count
    ),
    logged as (
      insert into board_updates (review_id, seq, update, author_id, created_at)
      select u.review_id, bumped.before + u.position, u.update, u.author_id, u.created_at
      from unnest(
        ${sql.array(
          rows.map((row) => row.batch.reviewId),
          UUID_ARRAY,
        )},
        ${sql.array(
          rows.map((row) => row.position),
          INT4_ARRAY,
        )},
        ${sql.array(
          rows.map((row) => bytea(row.update.update)),
          BYTEA_ARRAY,
        )},
        ${sql.array(
          rows.map((row) => row.update.authorId),
          UUID_ARRAY,
        )},
        ${sql.array(
          rows.map((row) => row.update.at),
          TIMESTAMPTZ_ARRAY,
        )}
      ) as u(review_id, position, update, author_id, created_at)
      join bumped on bumped.id = u.review_id
    ),
    snapshot as (
      insert into board_snapshots (review_id, upto_seq, state)
      select s.review_id, bumped.before + bumped.count, s.state
      from unnest(
        ${sql.array(
          snapshots.map((batch) => batch.reviewId),
          UUID_ARRAY,
        )},
        ${sql.array(
          snapshots.map((batch) => bytea(batch.snapshot!)),
          BYTEA_ARRAY,
        )}
      ) as s(review_id, state)
      join bumped on bumped.id = s.review_id
      on conflict (review_id, upto_seq) do update set state = excluded.state
    )
    select bumped.id::text, (bumped.before + bumped.count)::text as last
    from bumped
  `;
  return new Map(result.map((row) => [row.id, Number(row.last)]));
}
