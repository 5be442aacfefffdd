"""What a job handler gets: a transaction helper that commits and then relays its outbox rows."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from evoai.config import Settings
from evoai.db import system_session
from evoai.worker.enqueue import committed_outbox_ids
from evoai.worker.outbox import OutboxRelay

# (this attempt, attempts allowed) of the job running in the current task.
JOB_ATTEMPT: ContextVar[tuple[int, int]] = ContextVar("job_attempt", default=(1, 1))


def is_last_attempt() -> bool:
    """True when a failure now is final: the handler should record it instead of raising for a retry."""
    attempt, allowed = JOB_ATTEMPT.get()
    return attempt >= allowed


@dataclass
class JobContext:
    settings: Settings
    factory: async_sessionmaker[AsyncSession]
    relay: OutboxRelay

    @asynccontextmanager
    async def transaction(self, *, company_id: uuid.UUID | None = None) -> AsyncIterator[AsyncSession]:
        async with system_session(self.factory, company_id=company_id) as session:
            yield session
        ids = committed_outbox_ids(session)
        if ids:
            await self.relay.relay(ids)
