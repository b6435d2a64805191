-- The outbox keeps commit order per key and parks what the broker can never take (docs/architecture.md, reliability).

-- Insertion order, for re-sends: rows of one key are re-sent in this order (created_at can tie within a microsecond).
-- Rows already in the table get numbers in no particular order; they are at most a sweep old.
ALTER TABLE outbox_message ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;

-- An event the broker refuses for good (over its size limit) moves here from outbox_message, with why, instead of
-- being re-sent forever. Kept for an operator to inspect (never deleted by the relay); the payload is the event.
CREATE TABLE outbox_parked (
    id          varchar(255) PRIMARY KEY,
    topic       varchar(255) NOT NULL,
    message_key varchar(255),
    event_type  varchar(255) NOT NULL,
    payload     bytea        NOT NULL,
    created_at  timestamptz  NOT NULL,
    attempts    integer      NOT NULL,
    parked_at   timestamptz  NOT NULL,
    reason      varchar(500) NOT NULL
);
