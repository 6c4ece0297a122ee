-- With several processes (REDIS_URL), a review's board updates reach PostgreSQL through a Redis stream: the id of
-- the last entry persisted is kept with the review, under the same row lock as board_seq, so an entry is never
-- written twice (an owner that lost its lease skips what its successor wrote) and a new owner knows where to go on.
ALTER TABLE reviews ADD COLUMN board_stream_id text;
