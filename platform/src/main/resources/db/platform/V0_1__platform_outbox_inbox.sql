-- Shared by every service, created in the service's own schema (Flyway's default schema).
-- Platform migrations are numbered V0_n so they sort before every service migration (V1 onward).

-- Transactional outbox: written in the business transaction, published by the relay right after commit,
-- swept periodically for rows a crash left behind. The id is the CloudEvents id, stable across re-sends.
CREATE TABLE outbox_message (
    id           varchar(255) PRIMARY KEY,
    topic        varchar(255) NOT NULL,
    message_key  varchar(255),
    event_type   varchar(255) NOT NULL,
    payload      bytea        NOT NULL,
    created_at   timestamptz  NOT NULL,
    published_at timestamptz,
    attempts     integer      NOT NULL DEFAULT 0
);
CREATE INDEX outbox_message_unpublished ON outbox_message (created_at) WHERE published_at IS NULL;

-- Idempotent inbox: one row per (consumer, CloudEvents source, id), inserted in the same transaction as the
-- effect, so a redelivered event does nothing.
CREATE TABLE processed_event (
    consumer     varchar(100) NOT NULL,
    source       varchar(255) NOT NULL,
    event_id     varchar(255) NOT NULL,
    event_type   varchar(255) NOT NULL,
    processed_at timestamptz  NOT NULL,
    PRIMARY KEY (consumer, source, event_id)
);
