-- The application connects as evoai_app: neither superuser nor table owner, so PostgreSQL row-level
-- security applies to every query it makes. Migrations run as the owner (EVOAI_MIGRATION_URL) and
-- grant this role its rights (evoai/kit/rls.py).
CREATE ROLE evoai_app LOGIN PASSWORD 'evoai_app' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
GRANT CONNECT ON DATABASE evoai TO evoai_app;
