"""Relay committed outbox rows to Redis: jobs to BullMQ, events to Socket.IO.

The BullMQ job id is the outbox id, so a row relayed twice (crash between add and mark) is still
one job. Rows are claimed with SKIP LOCKED so several relays never block each other.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import structlog
from bullmq import Queue
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from evoai.db import system_session
from evoai.models import OutboxEntry
from evoai.realtime.publisher import REVOCATIONS_CHANNEL, Publisher
from evoai.worker.queues import ALL_QUEUES, DEFAULT_JOB_OPTIONS

log = structlog.get_logger(__name__)
BATCH = 200
MAX_ATTEMPTS = 5


class OutboxRelay:
    def __init__(self, factory: async_sessionmaker[AsyncSession], redis_url: str) -> None:
        self._factory = factory
        # Our own client: fail fast when Redis is down (bullmq's default retries for minutes), so the
        # rows stay pending and the next poll tries again.
        self._redis = Redis.from_url(
            redis_url, decode_responses=True, socket_connect_timeout=2, socket_timeout=5
        )
        self._queues = {name: Queue(name, {"connection": self._redis}) for name in ALL_QUEUES}
        self._publisher = Publisher(redis_url)
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[int]] = set()
        self._buffer: set[int] = set()
        self._flusher: asyncio.Task[int] | None = None

    async def _deliver(self, entry: OutboxEntry) -> None:
        if entry.kind == "event":
            await self._publisher.emit(entry.queue, entry.name, entry.payload)
        elif entry.kind == "revoke":
            await self._redis.publish(REVOCATIONS_CHANNEL, json.dumps(entry.payload))
        elif entry.kind == "job" and entry.queue in self._queues:
            await self._queues[entry.queue].add(entry.name, entry.payload, self._job_options(entry))
        else:
            raise ValueError(f"cannot relay {entry.kind} to {entry.queue}")

    @staticmethod
    def _job_options(entry: OutboxEntry) -> dict[str, Any]:
        # A job id chosen by the caller (a debounce bucket) wins: BullMQ adds nothing for an id it has.
        return {**DEFAULT_JOB_OPTIONS, "jobId": f"outbox-{entry.key}", **entry.options}

    async def _deliver_jobs_in_bulk(self, entries: list[OutboxEntry]) -> set[int]:
        """One round trip per queue for the batch's jobs; returns the ids delivered. A group that
        fails for another reason than Redis is left to the one-by-one path, which isolates the bad row."""
        delivered: set[int] = set()
        groups: dict[str, list[OutboxEntry]] = {}
        for entry in entries:
            if entry.kind == "job" and entry.queue in self._queues:
                groups.setdefault(entry.queue, []).append(entry)
        for queue, jobs in groups.items():
            try:
                await self._queues[queue].addBulk(
                    [{"name": e.name, "data": e.payload, "opts": self._job_options(e)} for e in jobs]
                )
            except (RedisError, OSError):
                raise
            except Exception as exc:
                log.warning("outbox.bulk_failed", queue=queue, error=str(exc)[:200])
                continue
            delivered.update(e.id for e in jobs)
        return delivered

    async def relay(self, ids: list[int] | None = None) -> int:
        """Send pending rows (only `ids` when given). Returns how many were delivered.

        A Redis outage stops the batch (the rows stay pending for the next poll); any other failure
        only skips its row, which is set aside as dead after MAX_ATTEMPTS so it cannot block the rest.
        """
        async with self._lock:
            sent = 0
            while True:
                async with system_session(self._factory) as session:
                    query = (
                        select(OutboxEntry)
                        .where(OutboxEntry.sent_at.is_(None), OutboxEntry.dead_at.is_(None))
                        .order_by(OutboxEntry.id)
                        .limit(BATCH)
                        .with_for_update(skip_locked=True)
                    )
                    if ids is not None:
                        query = query.where(OutboxEntry.id.in_(ids))
                    entries = list((await session.scalars(query)).all())
                    try:
                        # The Socket.IO manager logs and drops a message it cannot publish; a ping
                        # first keeps the rows pending while Redis is down.
                        if entries:
                            await self._redis.ping()
                        bulk = await self._deliver_jobs_in_bulk(entries)
                    except (RedisError, OSError) as exc:
                        log.warning("outbox.relay_failed", error=str(exc)[:200])
                        for entry in entries:  # kept pending; the error says why
                            entry.attempts += 1
                            entry.last_error = str(exc)[:500]
                        return sent
                    delivered: list[int] = []
                    redis_down = False
                    for entry in entries:
                        if entry.id not in bulk:
                            try:
                                await self._deliver(entry)
                            except Exception as exc:
                                entry.attempts += 1
                                entry.last_error = str(exc)[:500]
                                log.warning("outbox.relay_failed", outbox_id=entry.id, error=str(exc)[:200])
                                if isinstance(exc, RedisError | OSError):
                                    redis_down = True
                                    break
                                if entry.attempts >= MAX_ATTEMPTS:
                                    entry.dead_at = func.now()
                                    log.error(
                                        "outbox.dead", outbox_id=entry.id, kind=entry.kind, queue=entry.queue
                                    )
                                continue
                        delivered.append(entry.id)
                    if delivered:
                        await session.execute(
                            update(OutboxEntry)
                            .where(OutboxEntry.id.in_(delivered))
                            .values(sent_at=func.now())
                        )
                        sent += len(delivered)
                if redis_down or ids is not None or len(entries) < BATCH:
                    return sent

    def relay_soon(self, ids: list[int]) -> None:
        """Deliver just-committed rows right away; the polling loop is the safety net if this fails.

        Ids are gathered while a relay is running and sent together next, so a burst of commits
        costs a few relay transactions instead of one each."""
        self._buffer.update(ids)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
            self._tasks.add(self._flusher)
            self._flusher.add_done_callback(self._tasks.discard)

    async def _flush(self) -> int:
        sent = 0
        while self._buffer:
            batch = sorted(self._buffer)[:BATCH]
            self._buffer.difference_update(batch)
            sent += await self._relay_quietly(batch)
        return sent

    async def _relay_quietly(self, ids: list[int]) -> int:
        try:
            return await self.relay(ids)
        except Exception as exc:
            log.warning("outbox.relay_soon_failed", error=str(exc)[:200])
            return 0

    async def run_forever(self, interval: float = 1.0) -> None:
        while True:
            try:
                await self.relay()
            except Exception as exc:  # the database may be down; keep polling
                log.warning("outbox.poll_failed", error=str(exc)[:200])
            await asyncio.sleep(interval)

    async def prune(self, keep_hours: int = 24) -> None:
        async with system_session(self._factory) as session:
            await session.execute(
                delete(OutboxEntry).where(
                    OutboxEntry.sent_at < func.now() - func.make_interval(0, 0, 0, 0, keep_hours)
                )
            )

    async def close(self) -> None:
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for queue in self._queues.values():
            await queue.close()
        await self._redis.aclose()
