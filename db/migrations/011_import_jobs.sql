-- CSV imports run in the background in the process that received the file; their progress is kept here, so that
-- whichever process a client polls can answer, and a job whose process died is seen to have stopped.
CREATE TABLE import_jobs (
  id              uuid PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  status          text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  total_rows      integer NOT NULL,
  processed_rows  integer NOT NULL DEFAULT 0,
  accepted        integer NOT NULL DEFAULT 0,
  duplicates      integer NOT NULL DEFAULT 0,
  rejected_count  integer NOT NULL DEFAULT 0,
  -- The first rejected rows with their problems (enough to fix a file).
  rejected        jsonb NOT NULL DEFAULT '[]',
  error           text,
  started_at      timestamptz NOT NULL,
  finished_at     timestamptz,
  -- Written with every progress report: a running job not updated for a while lost its process.
  updated_at      timestamptz NOT NULL
);
CREATE INDEX import_jobs_finished ON import_jobs (finished_at) WHERE finished_at IS NOT NULL;
