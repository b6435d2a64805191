-- Issue 17, 3 (c) and (d).
--
-- (c) The chain hash, version 2, covers what the stored bytes do not carry: the topic, partition and offset the
-- event was read from and recorded_at (see ChainHash). Entries appended before this migration keep version 1 and
-- verify as before; verify re-derives the header columns (source, event_id, event_type, subject, event_time,
-- causation_id, correlation_id) of every entry, either version, from the hashed bytes and compares them.
ALTER TABLE audit_entry ADD COLUMN hash_version smallint NOT NULL DEFAULT 1 CHECK (hash_version IN (1, 2));

-- (d) Exactly once per topic: a forged id on another topic can no longer pre-empt the real event (ingest also
-- refuses an event whose topic, type and source do not match the contract's table).
ALTER TABLE audit_entry DROP CONSTRAINT audit_entry_once;
ALTER TABLE audit_entry ADD CONSTRAINT audit_entry_once UNIQUE (topic, source, event_id);

-- Issue 17, 5: the service an entry belongs to, re-derived from the hashed bytes (the event's data.service), never
-- stored in a column an insider could edit. NULL for bytes that are not JSON PostgreSQL accepts or carry no service.
-- Audit reads of a token limited to some services use it (EntryFilter.SERVICE_VISIBLE).
CREATE FUNCTION audit_entry_service(payload bytea) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN convert_from(payload, 'UTF8')::jsonb #>> '{data,service}';
EXCEPTION WHEN others THEN
    RETURN NULL;
END;
$$;
GRANT EXECUTE ON FUNCTION audit_entry_service(bytea) TO rollwatch_audit_writer;
