"""Record jobs and realtime events in the outbox, inside the caller's transaction.

Nothing reaches Redis until the transaction commits (the relay does that), so a rollback sends
nothing and a Redis outage only delays delivery.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, bindparam, insert
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.kit.fast_sql import FastStatement
from evoai.models import OutboxEntry
from evoai.observability.correlation import with_request_id
from evoai.worker.queues import ALL_QUEUES

PENDING_KEY = "outbox_pending"
_ONCE_KEY = "outbox_emitted_once"  # (transaction, {(room, event)}) of emit_once


def _remember(session: AsyncSession, entry_id: int) -> None:
    session.info.setdefault(PENDING_KEY, []).append(entry_id)


# A prebuilt insert, not session.add + flush: on hot paths such as webhook ingest the unit of work
# (and building a statement per row) costs more than the row itself.
_TABLE: Table = OutboxEntry.__table__  # type: ignore[assignment]
_INSERT = FastStatement(
    insert(_TABLE)
    .values(
        kind=bindparam("kind"),
        queue=bindparam("queue"),
        name=bindparam("name"),
        payload=bindparam("payload", type_=_TABLE.c.payload.type),
        options=bindparam("options", type_=_TABLE.c.options.type),
        attempts=0,
    )
    .returning(_TABLE.c.id)
)


async def _insert(session: AsyncSession, **values: Any) -> int:
    row = await _INSERT.row(session, **values)
    assert row is not None  # an INSERT … RETURNING returns its row
    entry_id = int(row["id"])
    _remember(session, entry_id)
    return entry_id


async def enqueue_job(
    session: AsyncSession, queue: str, name: str, payload: dict[str, Any], **options: Any
) -> int:
    if queue not in ALL_QUEUES:
        raise ValueError(f"unknown queue {queue}")
    # The request (or job) that caused this one travels with it, so the worker's logs correlate.
    return await _insert(
        session, kind="job", queue=queue, name=name, payload=with_request_id(payload), options=options
    )


async def emit_event(session: AsyncSession, room: str, name: str, payload: dict[str, Any]) -> int:
    """A Socket.IO event to `room` (company:<id> or user:<id>) once the transaction commits."""
    return await _insert(session, kind="event", queue=room, name=name, payload=payload, options={})


async def emit_once(session: AsyncSession, room: str, name: str, payload: dict[str, Any]) -> int | None:
    """`emit_event`, at most once per room and name in the current transaction (or savepoint: one
    rolled back takes its event along, so the enclosing transaction may emit again): for "something
    of this kind changed, ask again" events from code that may change many rows in one go."""
    sync = session.sync_session
    transaction = sync.get_nested_transaction() or sync.get_transaction()
    owner, emitted = session.info.get(_ONCE_KEY, (None, set()))
    if owner is not transaction:
        emitted = set()
        session.info[_ONCE_KEY] = (transaction, emitted)
    if (room, name) in emitted:
        return None
    emitted.add((room, name))
    return await emit_event(session, room, name, payload)


async def revoke_sockets(session: AsyncSession, session_ids: list[str]) -> int:
    """Once the transaction commits, every API process drops the sockets of these sessions."""
    return await _insert(
        session,
        kind="revoke",
        queue="sockets",
        name="session.revoked",
        payload={"sessionIds": session_ids},
        options={},
    )


def committed_outbox_ids(session: AsyncSession) -> list[int]:
    ids: list[int] = session.info.pop(PENDING_KEY, [])
    return ids
