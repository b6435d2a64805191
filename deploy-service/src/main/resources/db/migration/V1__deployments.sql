CREATE TABLE deployment (
    id                uuid         PRIMARY KEY,
    service           varchar(100) NOT NULL,
    environment       varchar(100) NOT NULL,
    version           varchar(128) NOT NULL,
    previous_version  varchar(128),
    status            varchar(32)  NOT NULL,
    target_type       varchar(32)  NOT NULL,
    target_url        varchar(2048) NOT NULL,
    metrics_url       varchar(2048),
    steps             text         NOT NULL,
    analysis          text         NOT NULL,
    requested_by      varchar(200) NOT NULL,
    idempotency_key   varchar(200),
    status_reason     varchar(2000),
    created_at        timestamptz  NOT NULL,
    updated_at        timestamptz  NOT NULL,
    finished_at       timestamptz,
    row_version       integer      NOT NULL DEFAULT 0
);

-- One active deployment per service and environment: the database enforces what the API promises.
CREATE UNIQUE INDEX deployment_one_active ON deployment (service, environment)
    WHERE status IN ('PENDING', 'RUNNING', 'AWAITING_APPROVAL', 'PAUSED', 'ROLLING_BACK');
CREATE UNIQUE INDEX deployment_idempotency ON deployment (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX deployment_by_service ON deployment (service, environment, created_at DESC);
