-- An organization's default slip threshold: new metrics pivot to triage at this share behind plan unless set.
ALTER TABLE organizations
  ADD COLUMN default_slip_threshold double precision NOT NULL DEFAULT 0.15
  CHECK (default_slip_threshold > 0 AND default_slip_threshold <= 1);
