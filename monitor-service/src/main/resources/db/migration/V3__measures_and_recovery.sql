-- Baseline and trend checks: what a check compares with its range, the stable version's latest pushed value of the
-- metric (the baseline of BASELINE_* checks), and the points of the current trend window (GROWTH_PER_HOUR).
ALTER TABLE check_state ADD COLUMN measure varchar(32) NOT NULL DEFAULT 'VALUE';
ALTER TABLE check_state ADD COLUMN rule_version varchar(64);
ALTER TABLE check_state ADD COLUMN baseline_value double precision;
ALTER TABLE check_state ADD COLUMN baseline_observed_at timestamptz;
ALTER TABLE check_state ADD COLUMN trend text NOT NULL DEFAULT '[]';

-- A breach episode's figures against the baseline, and its end: the ThresholdRecovered emitted when the first
-- passing measurement closed it (the id is derived from the episode, like the breach's).
ALTER TABLE breach ADD COLUMN measure varchar(32) NOT NULL DEFAULT 'VALUE';
ALTER TABLE breach ADD COLUMN baseline double precision;
ALTER TABLE breach ADD COLUMN rule_version varchar(64);
ALTER TABLE breach ADD COLUMN recovered_at timestamptz;
ALTER TABLE breach ADD COLUMN recovery_event_id varchar(64);
