"""Statements of measured hot paths, run on the session's own asyncpg connection.

SQLAlchemy spends about 190 µs of CPU around every statement it executes (cache key, execution
context, greenlet hop, result objects); asyncpg alone about 50 µs. On the webhook, which runs about
ten statements per message, that was the largest share of the API process's CPU (docs/decisions.md
"Hot statements skip SQLAlchemy's execution layer"). A FastStatement is an ordinary SQLAlchemy
statement, compiled once; it runs inside the session's transaction with SQLAlchemy's own parameter
and result conversions, and fails with SQLAlchemy's exceptions. Everything else stays on the ORM.

What it does not do, and refuses where it can: Python-side column defaults (list every column),
expanding `IN` lists (use `= any_(array)`), numeric result columns, missing or unknown parameters.
ORM-enabled UPDATE/DELETE do not synchronise objects already in the session; `adopt` the returned
rows where the session holds them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Float, Numeric, exc, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql.base import Executable

Row = dict[str, Any]
M = TypeVar("M")
_BEGIN = text("SELECT 1")


class _Compiled:
    def __init__(self, statement: Executable, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
        if compiled.insert_prefetch or compiled.update_prefetch:
            # Python-side column defaults are computed by SQLAlchemy's execution, which we skip.
            names = [c.key for c in (*compiled.insert_prefetch, *compiled.update_prefetch)]
            raise ValueError(f"give these columns explicit values: {names}")
        if compiled.post_compile_params:
            raise ValueError("expanding IN lists are rendered per execution: use = any_(array)")
        numeric = [key for key, _, _, kind in compiled._result_columns if isinstance(kind, Numeric | Float)]
        if numeric:
            raise ValueError(f"numeric result columns need SQLAlchemy's execution: {numeric}")
        self.compiled = compiled
        self.sql = str(compiled)
        self.names: list[str] = list(compiled.positiontup or ())
        if compiled.escaped_bind_names or any(b.callable for b in compiled.binds.values()):
            raise ValueError("bind parameters need plain names and fixed values")
        self.required = frozenset(name for name, bind in compiled.binds.items() if bind.required)
        self.binds_given = frozenset(compiled.binds)
        # The statement's own values (a literal such as status == "PENDING"), bound on every run.
        self.fixed = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
        processors = compiled._bind_processors
        self.bind = [processors.get(name) for name in self.names]
        self.columns: list[tuple[str, Callable[[Any], Any] | None]] = [
            (key, kind._cached_result_processor(dialect, None))
            for key, _name, _objects, kind in compiled._result_columns
        ]


class FastStatement:
    """One prebuilt statement (with named bind parameters) for `rows`, `row` and `run`."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._compiled: _Compiled | None = None  # against the engine's dialect, on first use

    def _for(self, dialect: Dialect) -> _Compiled:
        if self._compiled is None:
            self._compiled = _Compiled(self.statement, dialect)
        return self._compiled

    async def rows(self, session: AsyncSession, **params: Any) -> list[Row]:
        connection = await session.connection()
        compiled = self._for(connection.dialect)
        if not compiled.required <= params.keys() or not params.keys() <= compiled.binds_given:
            missing = sorted(compiled.required - params.keys())
            unknown = sorted(params.keys() - compiled.binds_given)
            raise TypeError(f"parameters missing: {missing}; unknown: {unknown}")
        # As Session.execute does before every statement, ORM or Core (SQLAlchemy issue 9809).
        if session.autoflush and (session.new or session.dirty or session.deleted):
            await session.flush()
        driver: Any = (await connection.get_raw_connection()).driver_connection  # asyncpg's
        if not driver.is_in_transaction():
            # No tenant was set, so nothing has run yet: let SQLAlchemy open the transaction.
            await connection.execute(_BEGIN)
        values = {**compiled.fixed, **params}
        args = [
            processor(values[name]) if processor else values[name]
            for name, processor in zip(compiled.names, compiled.bind, strict=True)
        ]
        try:
            records = await driver.fetch(compiled.sql, *args)
        except Exception as error:
            translated = _translated(connection.dialect, compiled.sql, error)
            if translated is error:
                raise
            raise translated from error
        if not compiled.columns:  # a text() statement: its columns are not typed, values as they come
            return [dict(record.items()) for record in records]
        return [
            {
                key: processor(value) if processor else value
                for (key, processor), value in zip(compiled.columns, record, strict=True)
            }
            for record in records
        ]

    async def row(self, session: AsyncSession, **params: Any) -> Row | None:
        found = await self.rows(session, **params)
        return found[0] if found else None

    async def run(self, session: AsyncSession, **params: Any) -> None:
        await self.rows(session, **params)

    async def entities(self, session: AsyncSession, model: type[M], **params: Any) -> list[M]:
        """The rows as the session's ORM objects of `model` (an object already in the session is
        refreshed and returned, as a query with populate_existing would)."""
        return [adopt(session, model, row) for row in await self.rows(session, **params)]

    async def entity(self, session: AsyncSession, model: type[M], **params: Any) -> M | None:
        found = await self.entities(session, model, **params)
        return found[0] if found else None


def adopt(session: AsyncSession, model: type[M], row: Row) -> M:
    """A row whose keys are `model`'s attributes, as the session's (persistent) object."""
    existing = session.identity_map.get(identity_key(model, row["id"]))
    if existing is not None:
        for name, value in row.items():
            set_committed_value(existing, name, value)
        return existing
    instance = model(**row)
    make_transient_to_detached(instance)
    session.add(instance)
    return instance


def _translated(dialect: Dialect, sql: str, error: Exception) -> Exception:
    """asyncpg's exception as the SQLAlchemy one the same failure raises through a session."""
    dbapi = dialect.loaded_dbapi
    adapted = error
    if not isinstance(error, dbapi.Error):
        for kind in type(error).__mro__:
            translate = dbapi._asyncpg_error_translate.get(kind)
            if translate is not None:
                adapted = translate(error.args[0] if error.args else str(error), error)
                break
        else:
            return error  # not a database error (OSError, CancelledError): as it is
    return exc.DBAPIError.instance(sql, None, adapted, dbapi.Error, hide_parameters=True, dialect=dialect)
