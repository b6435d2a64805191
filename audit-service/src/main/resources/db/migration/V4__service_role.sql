-- Least privilege in the database itself. The service's runtime connections run as rollwatch_audit_writer
-- (quarkus.datasource.jdbc.new-connection-sql = SET ROLE rollwatch_audit_writer), which may only INSERT and
-- SELECT the log and its checkpoints: UPDATE, DELETE and TRUNCATE fail with "permission denied" for it even
-- when the append-only triggers are disabled. Flyway migrates through a separate datasource as the owner.
-- Roles are cluster-wide: created once, tolerating a concurrent migration of another database doing the same.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rollwatch_audit_writer') THEN
        BEGIN
            CREATE ROLE rollwatch_audit_writer NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END
$$;

-- The owner (the datasource's login user) must be a member to SET ROLE to it (a superuser always may).
GRANT rollwatch_audit_writer TO CURRENT_USER;

GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO rollwatch_audit_writer;

-- The log and its signed checkpoints: append and read, nothing else.
GRANT SELECT, INSERT ON audit_entry, audit_checkpoint TO rollwatch_audit_writer;

-- The single head row: read, lock and move forward; never insert, delete or truncate.
GRANT SELECT, UPDATE (position, head_hash) ON audit_head TO rollwatch_audit_writer;

-- Operational state that is not evidence: replay progress, the platform's outbox (the relay marks and cleans
-- up rows) and inbox.
GRANT SELECT, INSERT, UPDATE ON audit_replay TO rollwatch_audit_writer;
GRANT SELECT, INSERT, UPDATE, DELETE ON outbox_message TO rollwatch_audit_writer;
GRANT SELECT, INSERT ON processed_event TO rollwatch_audit_writer;
