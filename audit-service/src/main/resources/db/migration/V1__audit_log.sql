-- The audit log: every contract event exactly once (by CloudEvents source + id), in a gap-free global order,
-- with its exact bytes and a SHA-256 hash chain. Append-only in the database itself (triggers below).

-- The single head row: locked FOR UPDATE by every append, so positions are handed out one at a time with no
-- holes even when several channels ingest at once, and each entry knows its predecessor's hash.
CREATE TABLE audit_head (
    id         smallint    PRIMARY KEY CHECK (id = 1),
    position   bigint      NOT NULL,
    head_hash  bytea       NOT NULL
);
INSERT INTO audit_head (id, position, head_hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));

CREATE TABLE audit_entry (
    position        bigint        PRIMARY KEY CHECK (position > 0),
    source          varchar(255)  NOT NULL,
    event_id        varchar(255)  NOT NULL,
    event_type      varchar(255)  NOT NULL,
    subject         varchar(255),
    event_time      timestamptz,
    causation_id    varchar(255),
    correlation_id  varchar(255),
    topic           varchar(255)  NOT NULL,
    kafka_partition integer       NOT NULL,
    kafka_offset    bigint        NOT NULL,
    payload         bytea         NOT NULL,
    prev_hash       bytea         NOT NULL,
    entry_hash      bytea         NOT NULL,
    recorded_at     timestamptz   NOT NULL,
    CONSTRAINT audit_entry_once UNIQUE (source, event_id)
);
CREATE INDEX audit_entry_by_subject ON audit_entry (subject, position);
CREATE INDEX audit_entry_by_type ON audit_entry (event_type, position);
CREATE INDEX audit_entry_by_time ON audit_entry (event_time);
CREATE INDEX audit_entry_by_event_id ON audit_entry (event_id);

-- Append-only: UPDATE, DELETE and TRUNCATE are refused for every role, the owner included. (A superuser can
-- still disable the triggers; that is what the hash chain and GET /api/v1/audit/verify are for.)
CREATE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_entry_no_update_delete BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change();
