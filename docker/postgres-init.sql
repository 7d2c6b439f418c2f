-- PostgreSQL initialisation for docker/compose.yaml (run once by the postgres image from
-- /docker-entrypoint-initdb.d on an empty data volume, as the superuser, with ON_ERROR_STOP=1).
-- Mirrors tools/stack/components/postgres.ts (afterStart/ensureRole/ensureDatabase) exactly:
--   roles gov_owner (owns the service databases, runs migrations), gov_app (DML only), camunda (owns the engine database);
--   databases identity, intake, approval, supervision, exchange owned by gov_owner, engine owned by camunda;
--   in each: CREATE on schema public revoked from PUBLIC, gov_app gets CONNECT + USAGE and, by default privileges,
--   SELECT/INSERT/UPDATE/DELETE on tables and USAGE/SELECT on sequences that the owner creates (never DDL).
-- The only addition: passwords, read from the container's environment (psql 15 \getenv), because the stack tool's
-- machines use trust authentication and a container must not.

\set ON_ERROR_STOP on

\getenv gov_owner_password GOV_OWNER_DB_PASSWORD
\getenv gov_app_password GOV_APP_DB_PASSWORD
\getenv camunda_password CAMUNDA_DB_PASSWORD
\if :{?gov_owner_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'GOV_OWNER_DB_PASSWORD is not set in the postgres container'; END $$;
\endif
\if :{?gov_app_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'GOV_APP_DB_PASSWORD is not set in the postgres container'; END $$;
\endif
\if :{?camunda_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'CAMUNDA_DB_PASSWORD is not set in the postgres container'; END $$;
\endif

CREATE ROLE gov_owner LOGIN PASSWORD :'gov_owner_password';
CREATE ROLE gov_app LOGIN PASSWORD :'gov_app_password';
CREATE ROLE camunda LOGIN PASSWORD :'camunda_password';

-- ---- service databases (owner gov_owner, application role gov_app) --------------------------------------------
CREATE DATABASE identity OWNER gov_owner;
CREATE DATABASE intake OWNER gov_owner;
CREATE DATABASE approval OWNER gov_owner;
CREATE DATABASE supervision OWNER gov_owner;
CREATE DATABASE exchange OWNER gov_owner;
-- ---- engine database (owner camunda, application role gov_app: approval relays the engine's outbox) ------------
CREATE DATABASE engine OWNER camunda;

\connect identity
REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT ALL ON SCHEMA public TO gov_owner;
GRANT CONNECT ON DATABASE identity TO gov_app;
GRANT USAGE ON SCHEMA public TO gov_app;
ALTER DEFAULT PRIVILEGES FOR ROLE gov_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gov_app;
ALTER DEFAULT PRIVILEGES FOR ROLE gov_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO gov_app;

\connect intake
REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT ALL ON SCHEMA public TO gov_owner;
GRANT CONNECT ON DATABASE intake TO gov_app;
GRANT USAGE ON SCHEMA public TO gov_app;
ALTER DEFAULT PRIVILEGES FOR ROLE gov_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gov_app;
ALTER DEFAULT PRIVILEGES FOR ROLE gov_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO gov_app;

\connect approval
REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT ALL ON SCHEMA public TO gov_owner;
GRANT CONNECT ON DATABASE approval TO gov_app;
GRANT USAGE ON SCHEMA public TO gov_app;
ALTER DEFAULT PRIVILEGES FOR ROLE gov_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gov_app;
ALTER DEFAULT PRIVILEGES FOR ROLE gov_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO gov_app;

\connect supervision
REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT ALL ON SCHEMA public TO gov_owner;
GRANT CONNECT ON DATABASE supervision TO gov_app;
GRANT USAGE ON SCHEMA public TO gov_app;
ALTER DEFAULT PRIVILEGES FOR ROLE gov_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gov_app;
ALTER DEFAULT PRIVILEGES FOR ROLE gov_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO gov_app;

\connect exchange
REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT ALL ON SCHEMA public TO gov_owner;
GRANT CONNECT ON DATABASE exchange TO gov_app;
GRANT USAGE ON SCHEMA public TO gov_app;
ALTER DEFAULT PRIVILEGES FOR ROLE gov_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gov_app;
ALTER DEFAULT PRIVILEGES FOR ROLE gov_owner IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO gov_app;

\connect engine
REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT ALL ON SCHEMA public TO camunda;
GRANT CONNECT ON DATABASE engine TO gov_app;
GRANT USAGE ON SCHEMA public TO gov_app;
ALTER DEFAULT PRIVILEGES FOR ROLE camunda IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gov_app;
ALTER DEFAULT PRIVILEGES FOR ROLE camunda IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO gov_app;
