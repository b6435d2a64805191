-- Who asked for a replay: the subject (`sub`) of the auditor's token. Replays from before authentication have none.
ALTER TABLE audit_replay ADD COLUMN requested_by varchar(255);
