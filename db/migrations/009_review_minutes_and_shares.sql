-- Minutes of closed reviews (the recap sent at close) and read-only share links to a closed review.
CREATE TABLE review_minutes (
  review_id    uuid PRIMARY KEY REFERENCES reviews (id) ON DELETE CASCADE,
  -- The minutes as generated when the review closed: the JSON document and its Markdown rendering.
  minutes      jsonb NOT NULL,
  markdown     text NOT NULL,
  generated_at timestamptz NOT NULL
);

-- A share link carries a random token; only its SHA-256 is kept. It expires, and can be revoked earlier.
CREATE TABLE review_shares (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id       uuid NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  token_hash      text NOT NULL UNIQUE,
  created_by      uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  revoked_at      timestamptz,
  last_used_at    timestamptz
);
CREATE INDEX review_shares_review_idx ON review_shares (review_id, created_at DESC);
