-- Dead-letter re-drives (issue 17, 4): each record of a <topic>.dlq an operator re-published to its topic, once.
-- The primary key is the record's place in the DLQ, so a second re-drive of the same record is refused (409), also
-- when two requests race: the second INSERT waits for the first transaction and then conflicts. Who re-drove it is
-- also an entry of the hash-chained log (type dev.rollwatch.audit.dead-letter-redriven.v1), written in the same
-- transaction; this table is the index the API answers from.
CREATE TABLE dead_letter_redrive (
    dlq_topic         varchar(255)  NOT NULL,
    dlq_partition     integer       NOT NULL CHECK (dlq_partition >= 0),
    dlq_offset        bigint        NOT NULL CHECK (dlq_offset >= 0),
    original_topic    varchar(255)  NOT NULL,
    event_id          varchar(255),
    event_type        varchar(255),
    redriven_by       varchar(255)  NOT NULL,
    redriven_at       timestamptz   NOT NULL,
    to_partition      integer       NOT NULL,
    to_offset         bigint        NOT NULL,
    audit_position    bigint        NOT NULL,
    PRIMARY KEY (dlq_topic, dlq_partition, dlq_offset)
);

-- The service's runtime role records re-drives and reads them; it never changes or removes one.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'rollwatch_audit_writer') THEN
        GRANT SELECT, INSERT ON dead_letter_redrive TO rollwatch_audit_writer;
    END IF;
END
$$;
