-- What a reading was before it changed: a correction (the same metric, time and source with a new value) replaces
-- the value and keeps the old one here; a deletion keeps the deleted reading here. No foreign key to readings: the
-- history outlives a deleted reading (it goes with its metric).
CREATE TABLE reading_history (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  metric_id   uuid NOT NULL REFERENCES metrics (id) ON DELETE CASCADE,
  reading_id  bigint NOT NULL,
  change      text NOT NULL CHECK (change IN ('corrected', 'deleted')),
  at          timestamptz NOT NULL,
  source      text NOT NULL,
  -- The value and note the reading had before the change.
  value       double precision NOT NULL,
  note        text,
  -- The person or API token that made the change, by name (null: not known, e.g. an import).
  changed_by  text,
  changed_at  timestamptz NOT NULL
);
CREATE INDEX reading_history_reading_idx ON reading_history (metric_id, reading_id, id);

-- Idempotency-Key of reading POSTs: the first answer to a key, replayed to a retry of the same request for 24 hours
-- (a reading sent without `at` and retried is stored once), in PostgreSQL so that it holds across processes.
CREATE TABLE reading_idempotency_keys (
  metric_id   uuid NOT NULL REFERENCES metrics (id) ON DELETE CASCADE,
  key         text NOT NULL,
  -- SHA-256 of the request as validated: the same key with another body is refused.
  fingerprint text NOT NULL,
  status      smallint NOT NULL,
  -- The JSON as first sent (text, not jsonb: a replay gives the same bytes, keys in the same order).
  body        text NOT NULL,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (metric_id, key)
);
CREATE INDEX reading_idempotency_keys_created_idx ON reading_idempotency_keys (created_at);
