"""Row-level security DDL for tenant tables, shared by migrations.

Tables are FORCE'd so that even their owner obeys the policies; only a superuser or a BYPASSRLS role
would not, which is why the application connects as a role that is neither (docs/decisions.md).
"""

from __future__ import annotations

APP_ROLE = "evoai_app"
BYPASS = "current_setting('app.bypass_rls', true) = 'on'"
CURRENT_COMPANY = "nullif(current_setting('app.company_id', true), '')::uuid"
CURRENT_USER = "nullif(current_setting('app.user_id', true), '')::uuid"


def enable_rls(table: str, *, using: str | None = None, check: str | None = None) -> list[str]:
    """Statements that make `table` visible only to its company (or to a session that bypasses)."""
    using = using or f"company_id = {CURRENT_COMPANY}"
    check = check or using
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {table} "
        f"USING ({BYPASS} OR {using}) WITH CHECK ({BYPASS} OR {check})",
    ]


def disable_rls(table: str) -> list[str]:
    return [
        f"DROP POLICY IF EXISTS tenant_isolation ON {table}",
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
    ]


def grant_app_role() -> str:
    """Grant the application role its DML rights, now and for tables created later, when it exists."""
    return f"""
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
    GRANT USAGE ON SCHEMA public TO {APP_ROLE};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP_ROLE};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {APP_ROLE};
  END IF;
END $$;
"""
