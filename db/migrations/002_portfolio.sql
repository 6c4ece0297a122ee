-- The portfolio: objectives with key results, initiatives with one accountable owner, metrics with readings and status overrides.
CREATE TABLE objectives (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  title           text NOT NULL,
  description     text NOT NULL DEFAULT '',
  owner_id        uuid NOT NULL REFERENCES users (id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX objectives_organization_id_idx ON objectives (organization_id);

CREATE TABLE metrics (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name            text NOT NULL,
  description     text NOT NULL DEFAULT '',
  unit            text NOT NULL CHECK (unit IN ('number', 'currency', 'percent', 'duration')),
  currency        text,
  direction       text NOT NULL CHECK (direction IN ('higher', 'lower', 'range')),
  baseline        double precision NOT NULL,
  target          double precision NOT NULL,
  range_min       double precision,
  range_max       double precision,
  start_at        timestamptz NOT NULL,
  target_at       timestamptz NOT NULL,
  frequency       text NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly', 'quarterly')),
  slip_threshold  double precision NOT NULL DEFAULT 0.15 CHECK (slip_threshold > 0 AND slip_threshold <= 1),
  owner_id        uuid NOT NULL REFERENCES users (id),
  -- Status after the last accepted reading, compared under a row lock to detect threshold crossings once.
  last_status     text NOT NULL DEFAULT 'no data',
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (target_at > start_at),
  CHECK (direction <> 'range' OR (range_min IS NOT NULL AND range_max IS NOT NULL AND range_min <= range_max))
);
CREATE INDEX metrics_organization_id_idx ON metrics (organization_id);

CREATE TABLE key_results (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  objective_id    uuid NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
  title           text NOT NULL,
  metric_id       uuid REFERENCES metrics (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX key_results_objective_id_idx ON key_results (objective_id);

CREATE TABLE initiatives (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  title           text NOT NULL,
  description     text NOT NULL DEFAULT '',
  owner_id        uuid NOT NULL REFERENCES users (id),
  team            text NOT NULL,
  key_result_id   uuid REFERENCES key_results (id) ON DELETE SET NULL,
  planned_value   double precision CHECK (planned_value IS NULL OR planned_value >= 0),
  realized_value  double precision CHECK (realized_value IS NULL OR realized_value >= 0),
  currency        text,
  start_at        timestamptz,
  target_at       timestamptz,
  links           jsonb NOT NULL DEFAULT '[]',
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX initiatives_organization_id_idx ON initiatives (organization_id);

-- Which initiatives a metric measures (a metric may serve several, an initiative may have several).
CREATE TABLE metric_initiatives (
  metric_id     uuid NOT NULL REFERENCES metrics (id) ON DELETE CASCADE,
  initiative_id uuid NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
  PRIMARY KEY (metric_id, initiative_id)
);
CREATE INDEX metric_initiatives_initiative_id_idx ON metric_initiatives (initiative_id);

-- Idempotent on (metric, at, source): a data source that retries does not double-count.
CREATE TABLE readings (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  metric_id  uuid NOT NULL REFERENCES metrics (id) ON DELETE CASCADE,
  at         timestamptz NOT NULL,
  value      double precision NOT NULL,
  source     text NOT NULL DEFAULT 'manual',
  note       text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (metric_id, at, source)
);
CREATE INDEX readings_metric_at_idx ON readings (metric_id, at DESC);

-- An owner's override of a computed status, kept as history; the newest uncleared one applies.
CREATE TABLE status_overrides (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  metric_id     uuid REFERENCES metrics (id) ON DELETE CASCADE,
  initiative_id uuid REFERENCES initiatives (id) ON DELETE CASCADE,
  status        text NOT NULL CHECK (status IN ('on track', 'at risk', 'off track')),
  reason        text NOT NULL,
  set_by        uuid REFERENCES users (id) ON DELETE SET NULL,
  set_at        timestamptz NOT NULL DEFAULT now(),
  cleared_at    timestamptz,
  cleared_by    uuid REFERENCES users (id) ON DELETE SET NULL,
  CHECK ((metric_id IS NULL) <> (initiative_id IS NULL))
);
CREATE INDEX status_overrides_metric_idx ON status_overrides (metric_id, set_at DESC);
CREATE INDEX status_overrides_initiative_idx ON status_overrides (initiative_id, set_at DESC);
