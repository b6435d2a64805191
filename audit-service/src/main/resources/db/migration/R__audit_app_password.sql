-- The password of the runtime login rollwatch_audit_app (V7), from configuration: rollwatch.audit.db.app-password
-- (env ROLLWATCH_AUDIT_DB_APP_PASSWORD; a local default for the embedded stack and the tests). A repeatable
-- migration: Flyway runs it again whenever the configured password changes (its checksum covers the placeholder's
-- value), so rotating it is setting the new value and restarting. The value is passed in a dollar-quoted literal
-- and quoted again by format(%L): any text works except one containing the dollar-quote tag
-- (rollwatch_audit_app_password between two dollar signs).
-- A migrating login that may not alter the role (a DBA created it and keeps its password) leaves it as it is, with a
-- warning: the pool then logs in only if the configured password is the DBA's.
DO $do$
BEGIN
    EXECUTE format('ALTER ROLE rollwatch_audit_app WITH LOGIN PASSWORD %L',
                   $rollwatch_audit_app_password$${audit_app_password}$rollwatch_audit_app_password$);
EXCEPTION WHEN insufficient_privilege THEN
    RAISE WARNING 'the password of rollwatch_audit_app was not set: % (it is managed outside Rollwatch)', SQLERRM;
END
$do$;
