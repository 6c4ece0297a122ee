-- Initiative A depends on initiative B: what A needs from B, by when, and who answers for each side.
CREATE TABLE initiative_dependencies (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  -- A: the initiative that needs something.
  dependent_id    uuid NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
  -- B: the initiative it needs it from.
  dependency_id   uuid NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
  note            text NOT NULL DEFAULT '',
  needed_by       date,
  -- Who asks (on A's side) and who delivers (on B's side); the initiatives' owners unless named.
  requester_id    uuid NOT NULL REFERENCES users (id),
  provider_id     uuid NOT NULL REFERENCES users (id),
  created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (dependent_id <> dependency_id),
  UNIQUE (dependent_id, dependency_id)
);
CREATE INDEX initiative_dependencies_organization_idx ON initiative_dependencies (organization_id);
CREATE INDEX initiative_dependencies_dependency_idx ON initiative_dependencies (dependency_id);
