#!/usr/bin/env bash
# docker-compose: the database logins of the Rollwatch services, one per service (issue 17, 7; review H5).
#
# Run once by the postgres image (docker-entrypoint-initdb.d) as the superuser, when the data directory is empty.
# An existing postgres-data volume keeps what it has: `docker compose down -v` (loses the data) or run this script by
# hand against it (`docker compose exec postgres bash /docker-entrypoint-initdb.d/10-rollwatch-logins.sh`).
#
# Each service's login owns its own schema (Flyway creates it at start-up: CREATE on the database) and nothing of
# any other service's; none is a superuser. audit-service's owner login migrates only: its migrations create the
# restricted roles rollwatch_audit_writer (V4) and rollwatch_audit_app (V7, the login its connection pool uses,
# INSERT/SELECT on the log), so it has CREATEROLE — which since PostgreSQL 16 reaches only the roles it created.
# The passwords come from the environment the compose file gives this container (the same ones it gives the
# services); psql quotes them (:'var'), so any value works.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" \
  -v deploy_pw="$ROLLWATCH_DEPLOY_DB_PASSWORD" \
  -v monitor_pw="$ROLLWATCH_MONITOR_DB_PASSWORD" \
  -v rollback_pw="$ROLLWATCH_ROLLBACK_DB_PASSWORD" \
  -v notifier_pw="$ROLLWATCH_NOTIFIER_DB_PASSWORD" \
  -v audit_pw="$ROLLWATCH_AUDIT_DB_PASSWORD" <<'SQL'
CREATE ROLE rollwatch_deploy LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'deploy_pw';
CREATE ROLE rollwatch_monitor LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'monitor_pw';
CREATE ROLE rollwatch_rollback LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'rollback_pw';
CREATE ROLE rollwatch_notifier LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'notifier_pw';
CREATE ROLE rollwatch_audit LOGIN NOSUPERUSER NOCREATEDB CREATEROLE PASSWORD :'audit_pw';

-- CREATE: each creates (and so owns) its schema; nobody gets another's.
GRANT CONNECT, CREATE ON DATABASE :"db" TO rollwatch_deploy, rollwatch_monitor, rollwatch_rollback,
    rollwatch_notifier, rollwatch_audit;
-- Nothing in the public schema for anyone (PostgreSQL 15+ already gives PUBLIC no CREATE there).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
