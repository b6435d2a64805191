-- The figures a decision about a measured breach was taken on (ThresholdBreached.observed's deciding value, the
-- threshold and the comparison), so the console's decision panel shows "measured vs threshold" from the decision
-- itself. Null for decisions without a measurement (manual, a failed smoke step, an analysis ERROR) and for the
-- decisions taken before this migration.
ALTER TABLE decision ADD COLUMN measured double precision;
ALTER TABLE decision ADD COLUMN threshold double precision;
ALTER TABLE decision ADD COLUMN operator varchar(4);
