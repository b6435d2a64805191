-- Where the step engine is, so a restarted service resumes every deployment from its persisted step.
ALTER TABLE deployment ADD COLUMN current_step           integer      NOT NULL DEFAULT 0;
ALTER TABLE deployment ADD COLUMN current_weight         integer      NOT NULL DEFAULT 0;
ALTER TABLE deployment ADD COLUMN promoted_by            varchar(200);
ALTER TABLE deployment ADD COLUMN promote_reason         varchar(2000);
-- The rollback being executed: enough to resume it after a restart and to keep the causation chain.
ALTER TABLE deployment ADD COLUMN rollback_request_id    varchar(200);
ALTER TABLE deployment ADD COLUMN rollback_correlation_id varchar(200);
ALTER TABLE deployment ADD COLUMN rollback_to_version    varchar(128);
ALTER TABLE deployment ADD COLUMN rollback_detected_at   timestamptz;
ALTER TABLE deployment ADD COLUMN rollback_started_at    timestamptz;
ALTER TABLE deployment ADD COLUMN rollback_finished_at   timestamptz;

CREATE INDEX deployment_by_status ON deployment (status);
CREATE INDEX deployment_by_created ON deployment (created_at DESC);

-- One row per step the engine started: the deployment's step history.
CREATE TABLE deployment_step (
    id            uuid          PRIMARY KEY,
    deployment_id uuid          NOT NULL REFERENCES deployment (id),
    step_index    integer       NOT NULL,
    kind          varchar(32)   NOT NULL,
    weight        integer,
    status        varchar(32)   NOT NULL,
    started_at    timestamptz   NOT NULL,
    finished_at   timestamptz,
    deadline      timestamptz,
    detail        varchar(4000),
    approved_by   varchar(200),
    smoke_passed  integer,
    smoke_total   integer,
    row_version   integer       NOT NULL DEFAULT 0,
    CONSTRAINT deployment_step_once UNIQUE (deployment_id, step_index)
);

-- The monitor's verdicts, kept even when one arrives before its step row exists; the first one wins.
CREATE TABLE analysis_verdict (
    deployment_id uuid          NOT NULL,
    step_index    integer       NOT NULL,
    verdict       varchar(32)   NOT NULL,
    detail        varchar(4000),
    event_id      varchar(200)  NOT NULL,
    received_at   timestamptz   NOT NULL,
    PRIMARY KEY (deployment_id, step_index)
);
