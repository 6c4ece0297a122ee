-- Plausible readings (issue 27): a metric may set the lowest and highest value a reading of it can plausibly take;
-- null is no bound of its own (a percent metric then keeps 0-100, server/domain/reading-plausibility.ts).
ALTER TABLE metrics ADD COLUMN plausible_min double precision;
ALTER TABLE metrics ADD COLUMN plausible_max double precision;
ALTER TABLE metrics
  ADD CONSTRAINT metrics_plausible_bounds_check
  CHECK (plausible_min IS NULL OR plausible_max IS NULL OR plausible_min <= plausible_max);
