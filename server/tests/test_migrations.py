from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path

import asyncpg

from evoai.models.contact import SEARCH_TEXT
from evoai.ops import migrate
from tests.conftest import Services, _prepare_database, _with_database


async def test_migrations_go_down_to_base_and_up_again(services: Services) -> None:
    admin_url, _ = await _prepare_database(_with_database(services.admin_url, "postgres"))
    await asyncio.to_thread(migrate.upgrade, admin_url)
    await asyncio.to_thread(migrate.downgrade, admin_url, "base")
    connection = await asyncpg.connect(admin_url)
    try:
        tables = await connection.fetchval(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
        )
        assert tables == 0
    finally:
        await connection.close()
    await asyncio.to_thread(migrate.upgrade, admin_url)
    connection = await asyncpg.connect(admin_url)
    try:
        assert await connection.fetchval("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        forced = await connection.fetch(
            "SELECT relname FROM pg_class WHERE relforcerowsecurity ORDER BY relname"
        )
        with_company = await connection.fetch(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND column_name = 'company_id'"
        )
        # Every tenant table is forced under RLS. `sessions` only remembers a login's active company;
        # it is read before any tenant is known (authentication), so it is not a tenant table.
        tenant_tables = {r["table_name"] for r in with_company} - {"sessions"} | {"companies"}
        assert {r["relname"] for r in forced} == tenant_tables
        assert "invitations" in tenant_tables
    finally:
        await connection.close()


def test_the_crm_migration_froze_the_contact_search_expression_the_model_declares() -> None:
    path = Path(__file__).parents[1] / "migrations" / "versions" / "2026-11-29-0500_crm.py"
    spec = importlib.util.spec_from_file_location("crm_migration", path)
    assert spec
    assert spec.loader
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.SEARCH_TEXT == SEARCH_TEXT
