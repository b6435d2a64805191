-- An analysis step being judged: opened by StepStarted(kind ANALYSIS), closed at its deadline with one
-- AnalysisCompleted. The baseline holds each check's counters when the step began, so the verdict counts only
-- what was measured during the step.
CREATE TABLE analysis_run (
    deployment_id     varchar(64)  NOT NULL REFERENCES watch (deployment_id),
    step_index        integer      NOT NULL,
    started_event_id  varchar(255) NOT NULL,
    deadline          timestamptz  NOT NULL,
    baseline          text         NOT NULL,
    completed_at      timestamptz,
    verdict           varchar(16),
    PRIMARY KEY (deployment_id, step_index)
);
CREATE INDEX analysis_run_due ON analysis_run (deadline) WHERE completed_at IS NULL;
