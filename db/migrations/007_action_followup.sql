-- Action items, continued: the owner's counter-proposal of a due date, the expected effect on the linked metric
-- and whether the readings confirmed it.
ALTER TABLE action_items
  -- The owner proposes another due date; the facilitator accepts it (it becomes due_date) or not (cleared).
  ADD COLUMN proposed_due_date date,
  -- "<metric> back within <expected_max_slip> of plan by <expected_by>".
  ADD COLUMN expected_max_slip numeric CHECK (expected_max_slip IS NULL OR expected_max_slip >= 0),
  ADD COLUMN expected_by date,
  -- Set once: 'verified' when a reading met the expected effect in time, 'not_verified' when the date passed.
  ADD COLUMN verification text CHECK (verification IN ('verified', 'not_verified')),
  ADD COLUMN verified_at timestamptz,
  ADD CONSTRAINT action_items_expected_effect_complete
    CHECK ((expected_max_slip IS NULL) = (expected_by IS NULL));
