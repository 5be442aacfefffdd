"""Row-level security DDL for tenant tables, shared by migrations.

Tables are FORCE'd so that even their owner obeys the policies; only a superuser or a BYPASSRLS role
would not, which is why the application connects as a role that is neither (docs/decisions.md).
"""

from __future__ import annotations

APP_ROLE = "evoai_app"
# Each setting is read in a scalar subquery: PostgreSQL then evaluates it once per statement (an
# InitPlan) instead of once per row, and `company_id = (SELECT …)` can use an index. On 50,000 rows
# this took a count from 51 ms to 17 ms (docs/benchmarks.md, CRM).
BYPASS = "(SELECT current_setting('app.bypass_rls', true)) = 'on'"
CURRENT_COMPANY = "(SELECT nullif(current_setting('app.company_id', true), '')::uuid)"
CURRENT_USER = "(SELECT nullif(current_setting('app.user_id', true), '')::uuid)"


def enable_rls(table: str, *, tenant: str | None = None, also_readable: str | None = None) -> list[str]:
    """Statements that let only `table`'s own company (or a bypassing session) read and write it.

    `also_readable` adds a read-only policy (policies of one command are OR'ed), e.g. "the caller's
    own memberships in other companies"; it never widens INSERT, UPDATE or DELETE.
    """
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        *policies(table, tenant=tenant, also_readable=also_readable),
    ]


def policies(table: str, *, tenant: str | None = None, also_readable: str | None = None) -> list[str]:
    tenant = tenant or f"company_id = {CURRENT_COMPANY}"
    statements = [
        f"CREATE POLICY tenant_isolation ON {table} "
        f"USING ({BYPASS} OR {tenant}) WITH CHECK ({BYPASS} OR {tenant})",
    ]
    if also_readable:
        statements.append(f"CREATE POLICY own_rows_read ON {table} FOR SELECT USING ({also_readable})")
    return statements


def drop_policies(table: str) -> list[str]:
    return [
        f"DROP POLICY IF EXISTS own_rows_read ON {table}",
        f"DROP POLICY IF EXISTS tenant_isolation ON {table}",
    ]


def disable_rls(table: str) -> list[str]:
    return [*drop_policies(table), f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"]


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
