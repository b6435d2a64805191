-- The step engine's share of issue 15: what a failed phase does (roll back or step back), the bake window the
-- monitor keeps watching after SUCCEEDED, and the state of a step back (its pending call and the phase retried).
ALTER TABLE deployment ADD COLUMN on_failure          varchar(16);
ALTER TABLE deployment ADD COLUMN after_step_back     varchar(16);
ALTER TABLE deployment ADD COLUMN bake_window_ms      bigint;
-- The weight a pending step back drives the target to (set while ROLLING_BACK for a step back, else null).
ALTER TABLE deployment ADD COLUMN step_back_to_weight integer;
-- The step index of the setWeight that began the phase that stepped back: a second failure of it rolls back.
ALTER TABLE deployment ADD COLUMN stepped_back_phase  integer;
-- Steps re-run after a step back are new rows of the same index with the next attempt.
ALTER TABLE deployment ADD COLUMN step_attempt        integer NOT NULL DEFAULT 0;

ALTER TABLE deployment_step ADD COLUMN attempt integer NOT NULL DEFAULT 0;
ALTER TABLE deployment_step DROP CONSTRAINT deployment_step_once;
ALTER TABLE deployment_step ADD CONSTRAINT deployment_step_once UNIQUE (deployment_id, step_index, attempt);

ALTER TABLE analysis_verdict ADD COLUMN attempt integer NOT NULL DEFAULT 0;
ALTER TABLE analysis_verdict DROP CONSTRAINT analysis_verdict_pkey;
ALTER TABLE analysis_verdict ADD PRIMARY KEY (deployment_id, step_index, attempt);
