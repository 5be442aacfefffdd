"""Alembic environment: migrations run with the owner/admin URL (EVOAI_MIGRATION_URL or DATABASE_URL)."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from evoai.db import async_url
from evoai.models import Base

target_metadata = Base.metadata


def _url() -> str:
    url = (
        context.config.attributes.get("url")
        or os.environ.get("EVOAI_MIGRATION_URL")
        or os.environ.get("DATABASE_URL")
    )
    if not url:
        raise SystemExit("DATABASE_URL: must be set to run migrations")
    return str(url)


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    url, connect_args = async_url(_url())
    engine = create_async_engine(url, connect_args=connect_args)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_async())
