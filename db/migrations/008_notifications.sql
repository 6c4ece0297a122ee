-- Notifications for people, a private calendar feed per person, and outgoing webhooks with their delivery log.
CREATE TABLE notifications (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  action_item_id  uuid REFERENCES action_items (id) ON DELETE CASCADE,
  kind            text NOT NULL CHECK (kind IN ('assigned', 'due_soon', 'overdue')),
  title           text NOT NULL,
  body            text NOT NULL DEFAULT '',
  created_at      timestamptz NOT NULL,
  read_at         timestamptz
);
-- At most one of each kind per person and item: scans and retried events never notify twice.
CREATE UNIQUE INDEX notifications_once_idx ON notifications (user_id, action_item_id, kind)
  WHERE action_item_id IS NOT NULL;
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

-- What the periodic scan has announced about an item (due soon, overdue), once per item whoever owns it.
CREATE TABLE action_item_signals (
  action_item_id uuid NOT NULL REFERENCES action_items (id) ON DELETE CASCADE,
  kind           text NOT NULL CHECK (kind IN ('due_soon', 'overdue')),
  signalled_at   timestamptz NOT NULL,
  PRIMARY KEY (action_item_id, kind)
);

-- A calendar app fetches the feed without a session: the URL carries a token, only its SHA-256 is kept.
CREATE TABLE calendar_feed_tokens (
  user_id    uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL
);

CREATE TABLE webhooks (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  url             text NOT NULL,
  -- Kept as is: every delivery is signed with it (HMAC-SHA256).
  secret          text NOT NULL,
  events          text[] NOT NULL,
  active          boolean NOT NULL DEFAULT true,
  created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL
);
CREATE INDEX webhooks_organization_idx ON webhooks (organization_id);

CREATE TABLE webhook_deliveries (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  webhook_id         uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event              text NOT NULL,
  payload            jsonb NOT NULL,
  attempts           integer NOT NULL DEFAULT 0,
  status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  last_response_code integer,
  last_error         text,
  -- While an attempt is in flight this is its lease: another worker may take it over only after it lapses.
  next_attempt_at    timestamptz NOT NULL,
  created_at         timestamptz NOT NULL,
  delivered_at       timestamptz
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at DESC);
