from __future__ import annotations

import asyncio

import asyncpg

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
        assert [r["relname"] for r in forced] == ["companies", "memberships", "notifications"]
    finally:
        await connection.close()
