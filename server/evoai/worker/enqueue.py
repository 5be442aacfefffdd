"""Record jobs and realtime events in the outbox, inside the caller's transaction.

Nothing reaches Redis until the transaction commits (the relay does that), so a rollback sends
nothing and a Redis outage only delays delivery.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from evoai.models import OutboxEntry
from evoai.worker.queues import ALL_QUEUES

PENDING_KEY = "outbox_pending"


def _remember(session: AsyncSession, entry: OutboxEntry) -> None:
    session.info.setdefault(PENDING_KEY, []).append(entry)


async def enqueue_job(
    session: AsyncSession, queue: str, name: str, payload: dict[str, Any], **options: Any
) -> OutboxEntry:
    if queue not in ALL_QUEUES:
        raise ValueError(f"unknown queue {queue}")
    entry = OutboxEntry(kind="job", queue=queue, name=name, payload=payload, options=options)
    session.add(entry)
    await session.flush()
    _remember(session, entry)
    return entry


async def emit_event(session: AsyncSession, room: str, name: str, payload: dict[str, Any]) -> OutboxEntry:
    """A Socket.IO event to `room` (company:<id> or user:<id>) once the transaction commits."""
    entry = OutboxEntry(kind="event", queue=room, name=name, payload=payload)
    session.add(entry)
    await session.flush()
    _remember(session, entry)
    return entry


async def revoke_sockets(session: AsyncSession, session_ids: list[str]) -> OutboxEntry:
    """Once the transaction commits, every API process drops the sockets of these sessions."""
    entry = OutboxEntry(
        kind="revoke", queue="sockets", name="session.revoked", payload={"sessionIds": session_ids}
    )
    session.add(entry)
    await session.flush()
    _remember(session, entry)
    return entry


def committed_outbox_ids(session: AsyncSession) -> list[int]:
    entries: list[OutboxEntry] = session.info.pop(PENDING_KEY, [])
    return [entry.id for entry in entries]
