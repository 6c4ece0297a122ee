-- Staleness (issue 19): a metric whose latest reading is older than its frequency allows, plus a grace, is stale,
-- and its owner is told once per lapse. A lapse is identified by the latest reading it started from: the scan
-- records that reading's time here when it notifies, so a new reading starts the next lapse and the same lapse is
-- never announced twice, however often the scan runs and however many processes run it.
ALTER TABLE metrics ADD COLUMN stale_notified_for timestamptz;

-- Notifications about a metric (the stale kind) point at the metric; those about an action item at the item.
ALTER TABLE notifications ADD COLUMN metric_id uuid REFERENCES metrics (id) ON DELETE CASCADE;
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications
  ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('assigned', 'due_soon', 'overdue', 'metric_stale'));
CREATE INDEX notifications_metric_idx ON notifications (metric_id) WHERE metric_id IS NOT NULL;
