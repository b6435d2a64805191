-- Channels: where alerts go. The built-in 'log' channel always exists (one structured log line per alert), so
-- the embedded default shows alerts without any outside system, and routes to channels that are not
-- configured (or were disabled) fall back to it.
CREATE TABLE channel (
    name            varchar(100)  PRIMARY KEY,
    type            varchar(32)   NOT NULL,
    url             varchar(2048),
    secret          varchar(500),
    enabled         boolean       NOT NULL DEFAULT true,
    disabled_reason varchar(500),
    builtin         boolean       NOT NULL DEFAULT false,
    created_at      timestamptz   NOT NULL,
    updated_at      timestamptz   NOT NULL,
    CONSTRAINT channel_http_has_url CHECK (type = 'log' OR url IS NOT NULL)
);

INSERT INTO channel (name, type, enabled, builtin, created_at, updated_at)
VALUES ('log', 'log', true, true, now(), now());

-- Routes: which events go to which channels. NULL in a match column means "any". Every matching route adds
-- its channels; an event's deliveries are the union.
CREATE TABLE route (
    name        varchar(100)  PRIMARY KEY,
    event_type  varchar(64),
    severity    varchar(8),
    service     varchar(100),
    environment varchar(100),
    channels    varchar(1000) NOT NULL,
    builtin     boolean       NOT NULL DEFAULT false,
    created_at  timestamptz   NOT NULL,
    updated_at  timestamptz   NOT NULL
);

-- The runbooks' defaults: P1 breach or escalation -> pagerduty + slack; P2 -> slack + the on-call webhook;
-- P3 -> slack; deployment started / finished / rolled back -> slack.
INSERT INTO route (name, event_type, severity, channels, builtin, created_at, updated_at) VALUES
    ('p1-breach',           'threshold-breached', 'P1', 'pagerduty,slack',      true, now(), now()),
    ('p2-breach',           'threshold-breached', 'P2', 'slack,oncall-webhook', true, now(), now()),
    ('p3-breach',           'threshold-breached', 'P3', 'slack',                true, now(), now()),
    ('rollback-requested',  'rollback-requested', NULL, 'pagerduty,slack',      true, now(), now()),
    ('rollback-escalation', 'rollback-completed', 'P1', 'pagerduty,slack',      true, now(), now()),
    ('rollback-completed',  'rollback-completed', NULL, 'slack',                true, now(), now()),
    ('deployment-started',  'deployment-started', NULL, 'slack',                true, now(), now()),
    ('deployment-finished', 'deployment-finished', NULL, 'slack',               true, now(), now());

-- Deliveries: exactly one per (notified event, channel), enforced here. The consumer writes PENDING rows in its
-- transaction; the delivery worker leases a row (lease_until, lease_token), sends, and records the outcome
-- together with its NotificationDelivered / NotificationFailed outbox row.
CREATE TABLE delivery (
    id               uuid          PRIMARY KEY,
    event_id         varchar(255)  NOT NULL,
    event_source     varchar(255)  NOT NULL,
    event_type       varchar(255)  NOT NULL,
    correlation_id   varchar(255),
    deployment_id    varchar(255)  NOT NULL,
    channel          varchar(100)  NOT NULL,
    channel_type     varchar(32)   NOT NULL,
    fallback_for     varchar(1000),
    routes           varchar(1000) NOT NULL,
    severity         varchar(8),
    service          varchar(100),
    environment      varchar(100),
    title            varchar(500)  NOT NULL,
    message          text          NOT NULL,
    deployment_url   varchar(2048) NOT NULL,
    timeline_url     varchar(2048) NOT NULL,
    event_payload    text          NOT NULL,
    status           varchar(16)   NOT NULL,
    outcome          varchar(32),
    attempts         integer       NOT NULL DEFAULT 0,
    last_status_code integer,
    last_error       varchar(1000),
    next_attempt_at  timestamptz   NOT NULL,
    lease_until      timestamptz,
    lease_token      uuid,
    created_at       timestamptz   NOT NULL,
    updated_at       timestamptz   NOT NULL,
    delivered_at     timestamptz,
    finished_at      timestamptz
);

CREATE UNIQUE INDEX delivery_once_per_event_and_channel ON delivery (event_id, channel);
CREATE INDEX delivery_by_deployment ON delivery (deployment_id, created_at);
CREATE INDEX delivery_by_channel ON delivery (channel, created_at);
CREATE INDEX delivery_due ON delivery (next_attempt_at) WHERE status = 'PENDING';
