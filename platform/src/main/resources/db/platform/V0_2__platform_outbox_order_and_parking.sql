-- The outbox keeps commit order per key and parks what the broker can never take (docs/architecture.md, reliability).
-- Platform migrations sort before every service's, so on a database that already has a service's later ones this
-- applies out of order (quarkus.flyway.out-of-order=true): it touches outbox_message only.

-- Insertion order, for re-sends: rows of one key are re-sent in this order (created_at can tie within a microsecond).
-- Rows already in the table get numbers in no particular order; they are at most a sweep old.
ALTER TABLE outbox_message ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;

-- An event the broker refuses for good (over its size limit) is parked instead of being re-sent forever: parked_at
-- and park_reason are set and so is published_at (it has left the outbox: no sweep, no backlog), and the clean-up
-- keeps parked rows for an operator to inspect. Columns of outbox_message, so a service's database role that may
-- update the outbox (audit-service's INSERT/SELECT-only writer included) may park.
ALTER TABLE outbox_message ADD COLUMN parked_at timestamptz;
ALTER TABLE outbox_message ADD COLUMN park_reason varchar(500);
CREATE INDEX outbox_message_parked ON outbox_message (parked_at) WHERE parked_at IS NOT NULL;
