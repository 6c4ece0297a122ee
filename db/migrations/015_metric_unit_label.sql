-- What one unit of a metric is called (issue 27: "794" says nothing, "794 ms" does): shown after each value and on
-- chart axes. Null for money and percent, whose unit says it already, and for a plain count nobody named.
ALTER TABLE metrics ADD COLUMN unit_label text;
ALTER TABLE metrics
  ADD CONSTRAINT metrics_unit_label_check
  CHECK (unit_label IS NULL OR (char_length(unit_label) BETWEEN 1 AND 16 AND unit NOT IN ('currency', 'percent')));
