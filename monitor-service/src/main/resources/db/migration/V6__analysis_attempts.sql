-- A failed phase retried after a step back (deploy-service strategy onFailure: stepBack) runs its analysis step
-- again with the same step index: each run of a step is a new attempt (0 the first), judged afresh and answered by
-- its own AnalysisCompleted.
ALTER TABLE analysis_run ADD COLUMN attempt integer NOT NULL DEFAULT 0;
ALTER TABLE analysis_run DROP CONSTRAINT analysis_run_pkey;
ALTER TABLE analysis_run ADD PRIMARY KEY (deployment_id, step_index, attempt);
-- The watch's step backs when the run opened: a StepStarted for the step after a later step back is its re-run.
ALTER TABLE analysis_run ADD COLUMN step_backs integer NOT NULL DEFAULT 0;
-- The time of the latest step event the watch followed: a step back (a lower index, later in time) is followed, a
-- late event about an earlier step is not.
ALTER TABLE watch ADD COLUMN step_event_at timestamptz;
ALTER TABLE watch ADD COLUMN step_backs integer NOT NULL DEFAULT 0;
