-- A deployment's step and finish events that arrived before its DeploymentStarted. They travel on other topics
-- than deployment-started, so nothing orders them across topics: they are kept here and applied, in step order,
-- the moment the watch starts (an analysis step then opens with the check counters of the new watch).
CREATE TABLE early_event (
    event_id       varchar(255) PRIMARY KEY,
    deployment_id  varchar(64)  NOT NULL,
    kind           varchar(16)  NOT NULL,
    step_index     integer,
    weight         integer,
    deadline       timestamptz,
    outcome        varchar(32),
    received_at    timestamptz  NOT NULL
);
CREATE INDEX early_event_deployment ON early_event (deployment_id);
CREATE INDEX early_event_received ON early_event (received_at);
