"""Database engine and sessions. Every transaction carries the tenant context that RLS policies read."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, SessionTransaction

from evoai.config import Settings

# libpq's sslmode values map onto asyncpg's `ssl` argument of the same names.
_SSL_MODES = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}


def async_url(url: str) -> tuple[str, dict[str, Any]]:
    """Accept the seed's `postgresql://…?sslmode=require` and return an asyncpg URL plus connect args."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    connect_args: dict[str, Any] = {}
    sslmode = query.pop("sslmode", None)
    if sslmode in _SSL_MODES and sslmode != "disable":
        connect_args["ssl"] = sslmode
    scheme = "postgresql+asyncpg"
    return urlunsplit((scheme, parts.netloc, parts.path, urlencode(query), "")), connect_args


def create_engine(settings: Settings, *, pool_size: int = 10, max_overflow: int = 5) -> AsyncEngine:
    url, connect_args = async_url(settings.DATABASE_URL)
    connect_args["server_settings"] = {
        "application_name": "evoai",
        # Planner settings for data that lives in memory or on SSDs (every deployment we target):
        # with the default random_page_cost of 4 a contact search scanned all 50,000 rows (33 ms)
        # instead of walking the date index (6 ms). JIT compilation only ever added latency to our
        # short queries. Both are per-session settings any role may change.
        "random_page_cost": "1.1",
        "jit": "off",
    }
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        # No pre-ping: it costs a round trip per request (measured ~8 % of an authenticated read).
        # After a database restart the first statement on a stale connection fails, SQLAlchemy then
        # discards the whole pool, and the client's retry (or the next probe) gets a fresh one.
        pool_pre_ping=False,
        pool_recycle=1800,
        # Keep statement parameters (e-mails, password hashes) out of error messages and logs.
        hide_parameters=True,
        connect_args=connect_args,
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


_TENANT_SQL = text(
    "SELECT set_config('app.company_id', :company, true), set_config('app.user_id', :user, true),"
    " set_config('app.bypass_rls', :bypass, true)"
)


def _tenant_params(info: dict[str, Any]) -> dict[str, str]:
    company, user = info.get("company_id"), info.get("user_id")
    return {
        "company": str(company) if company else "",
        "user": str(user) if user else "",
        "bypass": "on" if info.get("bypass_rls") else "off",
    }


@event.listens_for(Session, "after_begin")
def _apply_tenant(session: Session, transaction: SessionTransaction, connection: Connection) -> None:
    """Set the tenant GUCs at the start of every transaction, so RLS sees them for its whole life.

    With no tenant, user or bypass there is nothing to set: transaction-local settings from earlier
    transactions are already gone, and unset means "no tenant" to every policy. Skipping saves a
    round trip on every authenticated request (its first query runs before the tenant is known).
    """
    if transaction.nested:
        return  # a savepoint: the enclosing transaction's settings already apply
    params = _tenant_params(session.info)
    if params["company"] or params["user"] or params["bypass"] == "on":
        connection.execute(_TENANT_SQL, params)


async def use_tenant(
    session: AsyncSession, *, company_id: uuid.UUID | None, user_id: uuid.UUID | None = None
) -> None:
    """Switch the session's tenant, also inside an already open transaction."""
    session.info["company_id"] = company_id
    session.info["user_id"] = user_id
    if session.in_transaction():
        await session.execute(_TENANT_SQL, _tenant_params(session.info))


async def bypass_tenancy(session: AsyncSession) -> None:
    """For the few lookups that must cross tenants by design (an invitation found by its token)."""
    session.info["bypass_rls"] = True
    await use_tenant(session, company_id=None, user_id=session.info.get("user_id"))


@asynccontextmanager
async def system_session(
    factory: async_sessionmaker[AsyncSession], *, company_id: uuid.UUID | None = None
) -> AsyncIterator[AsyncSession]:
    """A transaction for workers and platform operations. Without a company it may see every tenant."""
    async with factory() as session:
        session.info["company_id"] = company_id
        session.info["bypass_rls"] = company_id is None
        async with session.begin():
            yield session
