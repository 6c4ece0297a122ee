-- Reviews: recurring series and their meetings, room roles, scope, and the live board's update log with snapshots.
CREATE TABLE review_series (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  title           text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX review_series_title_key ON review_series (organization_id, lower(title));

CREATE TABLE reviews (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  series_id       uuid REFERENCES review_series (id) ON DELETE SET NULL,
  title           text NOT NULL,
  scheduled_at    timestamptz NOT NULL,
  status          text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'live', 'closed')),
  phase           text NOT NULL DEFAULT 'check-in'
                  CHECK (phase IN ('check-in', 'metrics', 'triage', 'commitments', 'wrap-up')),
  started_at      timestamptz,
  closed_at       timestamptz,
  created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  -- The last sequence number given to a board update; assigned under this row's lock, so the log has no gaps
  -- and a reader never sees seq n+1 committed before seq n.
  board_seq       bigint NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reviews_organization_idx ON reviews (organization_id, scheduled_at DESC);
CREATE INDEX reviews_series_idx ON reviews (series_id, scheduled_at DESC);

CREATE TABLE review_metrics (
  review_id uuid NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
  metric_id uuid NOT NULL REFERENCES metrics (id) ON DELETE CASCADE,
  PRIMARY KEY (review_id, metric_id)
);
CREATE INDEX review_metrics_metric_idx ON review_metrics (metric_id);

CREATE TABLE review_initiatives (
  review_id     uuid NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
  initiative_id uuid NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
  PRIMARY KEY (review_id, initiative_id)
);
CREATE INDEX review_initiatives_initiative_idx ON review_initiatives (initiative_id);

-- Explicit room roles; a member of the organization without a row joins as an owner (a contributor).
CREATE TABLE review_participants (
  review_id uuid NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
  user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role      text NOT NULL CHECK (role IN ('facilitator', 'owner', 'viewer')),
  added_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (review_id, user_id)
);
CREATE INDEX review_participants_user_idx ON review_participants (user_id);
-- One facilitator at a time.
CREATE UNIQUE INDEX review_participants_one_facilitator ON review_participants (review_id) WHERE role = 'facilitator';

-- Every Yjs update of a board, kept for replay. author_id is null for the server's own edits.
CREATE TABLE board_updates (
  review_id  uuid NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
  seq        bigint NOT NULL,
  update     bytea NOT NULL,
  author_id  uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (review_id, seq)
);

-- The whole board as one Yjs update, equal to applying every update with seq <= upto_seq.
CREATE TABLE board_snapshots (
  review_id  uuid NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
  upto_seq   bigint NOT NULL,
  state      bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (review_id, upto_seq)
);

-- What happened in a review besides board edits (status and phase changes, joins and leaves, pivots, …).
CREATE TABLE review_events (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  review_id uuid NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
  at        timestamptz NOT NULL,
  actor_id  uuid REFERENCES users (id) ON DELETE SET NULL,
  kind      text NOT NULL,
  data      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX review_events_review_idx ON review_events (review_id, at);
