-- Signed checkpoints: (position, head hash) signed with the service's Ed25519 key, so an auditor holding a copy
-- (or the public key) can tell a log rewritten from scratch with recomputed hashes. Append-only like the log.
CREATE TABLE audit_checkpoint (
    position   bigint       PRIMARY KEY,
    head_hash  bytea        NOT NULL,
    key_id     varchar(64)  NOT NULL,
    signature  bytea        NOT NULL,
    signed_at  timestamptz  NOT NULL
);

CREATE TRIGGER audit_checkpoint_no_update_delete BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change();
