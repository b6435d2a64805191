-- Issue 17, 3(b): the service's runtime connections log in as their own role, rollwatch_audit_app, not as the owner.
--
-- Until V6 the pool logged in as the owner of the tables (the login Flyway migrates with) and only ran
-- SET ROLE rollwatch_audit_writer: any statement on such a connection could RESET ROLE and act as the owner, who may
-- ALTER TABLE ... DISABLE TRIGGER, and, as a superuser, SET session_replication_role = replica. Now the pool's login
-- is a role that owns nothing, is no superuser, and holds only what rollwatch_audit_writer holds (V4: INSERT and
-- SELECT on the log and its checkpoints, the head row's update, operational state). RESET ROLE leads back to it.
--
-- Its password is set by R__audit_app_password.sql from configuration (rollwatch.audit.db.app-password, env
-- ROLLWATCH_AUDIT_DB_APP_PASSWORD), so it is never in a versioned migration and changes when the setting does.
-- Roles are cluster-wide: created once, tolerating an existing one (another database of the cluster, or a DBA who
-- created it beforehand; then the migrating user needs ADMIN OPTION on it, or CREATEROLE, for the grant below).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rollwatch_audit_app') THEN
        BEGIN
            CREATE ROLE rollwatch_audit_app LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION
                NOBYPASSRLS;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END
$$;

-- Its privileges are the writer role's, inherited: nothing granted to the login itself.
GRANT rollwatch_audit_writer TO rollwatch_audit_app;
