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


async def test_the_search_copy_is_filled_when_migrations_run_as_an_owner_that_is_not_superuser(
    services: Services,
) -> None:
    """As in the k8s deployment (EVOAI_MIGRATION_URL = evoai_owner): contacts are under FORCE'd RLS,
    so a backfill must bypass it explicitly or it copies nothing."""
    server = _with_database(services.admin_url, "postgres")
    admin_url, _ = await _prepare_database(server)
    database = admin_url.rsplit("/", 1)[1]
    owner, password = "evoai_owner_test", "owner-test"
    connection = await asyncpg.connect(server)
    try:
        if not await connection.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", owner):
            await connection.execute(
                f"CREATE ROLE {owner} LOGIN PASSWORD '{password}' NOSUPERUSER NOBYPASSRLS"
            )
        await connection.execute(f"ALTER DATABASE {database} OWNER TO {owner}")
    finally:
        await connection.close()
    connection = await asyncpg.connect(admin_url)
    try:  # Extensions need a superuser; a managed database offers them the same way.
        await connection.execute("CREATE EXTENSION vector; CREATE EXTENSION pg_trgm")
        await connection.execute(f"ALTER SCHEMA public OWNER TO {owner}")
    finally:
        await connection.close()
    owner_url = _with_database(server, database, owner, password)
    await asyncio.to_thread(migrate.upgrade, owner_url, "0012_flows")
    connection = await asyncpg.connect(owner_url)
    try:
        async with connection.transaction():
            await connection.execute("SELECT set_config('app.bypass_rls', 'on', true)")
            await connection.execute("INSERT INTO companies (id, name) VALUES (gen_random_uuid(), 'Loja')")
            await connection.execute(
                "INSERT INTO contacts (id, company_id, name, phone_number, phone_key, source, custom_fields) "
                "SELECT gen_random_uuid(), id, 'Zuleica', '5511900000000', '5511900000000', 'manual', '{}' "
                "FROM companies"
            )
    finally:
        await connection.close()
    await asyncio.to_thread(migrate.upgrade, owner_url)
    connection = await asyncpg.connect(owner_url)
    try:
        assert await connection.fetchval("SELECT count(*) FROM private.contact_search") == 1
    finally:
        await connection.close()
