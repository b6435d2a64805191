-- The decision matrix as data. One row per version of a scope's policy; the highest version of a scope is in
-- force. Scope '*' means "any": ('*','*') is the global default, (service,'*') covers every environment of a
-- service. Rows are never updated or deleted, so every change stays on record.
CREATE TABLE policy (
    id                   bigserial    PRIMARY KEY,
    service              varchar(100) NOT NULL,
    environment          varchar(100) NOT NULL,
    version              integer      NOT NULL CHECK (version >= 1),
    p1_action            varchar(16)  NOT NULL,
    p2_action            varchar(16)  NOT NULL,
    p3_action            varchar(16)  NOT NULL,
    repeat_count         integer      NOT NULL CHECK (repeat_count >= 1),
    repeat_window_ms     bigint       NOT NULL CHECK (repeat_window_ms > 0),
    auto_rollback        boolean      NOT NULL,
    frozen               boolean      NOT NULL,
    rollback_deadline_ms bigint       NOT NULL CHECK (rollback_deadline_ms > 0),
    created_at           timestamptz  NOT NULL,
    created_by           varchar(200) NOT NULL,
    change_reason        varchar(2000) NOT NULL,
    CONSTRAINT policy_scope_version UNIQUE (service, environment, version)
);

-- The runbooks' defaults: P1 rolls back at once, P2 when it repeats 3 times within 5 minutes (else alert),
-- P3 notifies; a rollback that has not completed within 2 minutes is escalated.
INSERT INTO policy (service, environment, version, p1_action, p2_action, p3_action, repeat_count, repeat_window_ms,
                    auto_rollback, frozen, rollback_deadline_ms, created_at, created_by, change_reason)
VALUES ('*', '*', 1, 'ROLLBACK', 'CONDITIONAL', 'NOTIFY', 3, 300000, true, false, 120000, now(), 'migration',
        'runbook defaults');

-- What this service knows about each deployment, from deployment-started / deployment-finished (and a breach
-- that arrives first). The row is also the per-deployment lock every decision takes.
CREATE TABLE tracked_deployment (
    deployment_id     varchar(255) PRIMARY KEY,
    service           varchar(100) NOT NULL,
    environment       varchar(100) NOT NULL,
    version           varchar(128),
    previous_version  varchar(128),
    state             varchar(16)  NOT NULL,
    outcome           varchar(16),
    started_event_id  varchar(255),
    started_at        timestamptz,
    finished_at       timestamptz,
    updated_at        timestamptz  NOT NULL
);

-- The last version of a service that finished SUCCEEDED in an environment: the rollback target.
CREATE TABLE last_known_good (
    service        varchar(100) NOT NULL,
    environment    varchar(100) NOT NULL,
    version        varchar(128) NOT NULL,
    deployment_id  varchar(255) NOT NULL,
    finished_at    timestamptz  NOT NULL,
    event_id       varchar(255) NOT NULL,
    PRIMARY KEY (service, environment)
);

-- Every decision, including the ones that did nothing, so an auditor can see why.
CREATE TABLE decision (
    id                uuid         PRIMARY KEY,
    deployment_id     varchar(255) NOT NULL,
    service           varchar(100) NOT NULL,
    environment       varchar(100) NOT NULL,
    action            varchar(16)  NOT NULL,
    rule              varchar(64)  NOT NULL,
    reason            varchar(2000) NOT NULL,
    severity          varchar(4),
    check_name        varchar(200),
    breach_event_id   varchar(255),
    breach_source     varchar(255),
    observed_at       timestamptz,
    policy_id         bigint REFERENCES policy (id),
    policy_version    integer,
    trigger           varchar(16),
    from_version      varchar(128),
    to_version        varchar(128),
    requested_by      varchar(200),
    rollback_event_id varchar(255),
    related_decision  uuid REFERENCES decision (id),
    status            varchar(16),
    deadline_at       timestamptz,
    completed_at      timestamptz,
    escalated_at      timestamptz,
    idempotency_key   varchar(200),
    decided_at        timestamptz  NOT NULL
);

-- Exactly one rollback per deployment, whoever asks (a breach or an operator): the database enforces it.
CREATE UNIQUE INDEX decision_one_rollback ON decision (deployment_id) WHERE action = 'ROLLBACK';
-- One decision per breach event.
CREATE UNIQUE INDEX decision_one_per_breach ON decision (breach_source, breach_event_id)
    WHERE breach_event_id IS NOT NULL AND action <> 'ESCALATED';
CREATE UNIQUE INDEX decision_idempotency ON decision (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX decision_by_deployment ON decision (deployment_id, decided_at);
CREATE INDEX decision_by_service ON decision (service, environment, decided_at);
CREATE INDEX decision_open_rollbacks ON decision (deadline_at) WHERE action = 'ROLLBACK' AND status = 'OPEN';
