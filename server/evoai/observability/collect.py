"""Gauges read when /metrics is scraped: queue depths from Redis, instance states and dead-lettered
outbox rows from PostgreSQL (cached for a few seconds, since every pod is scraped)."""

from __future__ import annotations

import asyncio
import time

import structlog
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from evoai.db import system_session
from evoai.models import OutboxEntry, WhatsAppInstance
from evoai.observability import metrics
from evoai.worker.queues import ALL_QUEUES

log = structlog.get_logger(__name__)
BULL_PREFIX = "bull"  # bullmq's default key prefix, which our queues use
DB_CACHE_SECONDS = 15.0
CONNECTION_STATES = ("open", "connecting", "qrcode", "close")
TIMEOUT_SECONDS = 2.0


class ScrapeReader:
    def __init__(self, redis: Redis, factory: async_sessionmaker[AsyncSession]) -> None:
        self._redis = redis
        self._factory = factory
        self._db_read_at = float("-inf")
        self._db_lock = asyncio.Lock()

    async def refresh(self) -> None:
        await asyncio.gather(self._read_queues(), self._read_database())

    async def _read_queues(self) -> None:
        """One round trip for every queue. `waiting` counts what is ready to run: the wait list, plus
        the paused list and the prioritized set, where BullMQ keeps ready jobs in those cases."""
        try:
            async with asyncio.timeout(TIMEOUT_SECONDS):
                pipe = self._redis.pipeline(transaction=False)
                for queue in ALL_QUEUES:
                    key = f"{BULL_PREFIX}:{queue}"
                    pipe.llen(f"{key}:wait")
                    pipe.llen(f"{key}:paused")
                    pipe.zcard(f"{key}:prioritized")
                    pipe.llen(f"{key}:active")
                    pipe.zcard(f"{key}:delayed")
                    pipe.zcard(f"{key}:failed")
                counts = [int(n) for n in await pipe.execute()]
        except Exception as exc:
            metrics.collect_errors.labels(source="redis").inc()
            log.warning("metrics.queues_unreadable", error=str(exc)[:200])
            return
        for index, queue in enumerate(ALL_QUEUES):
            wait, paused, prioritized, active, delayed, failed = counts[index * 6 : index * 6 + 6]
            metrics.queue_waiting.labels(queue=queue).set(wait + paused + prioritized)
            metrics.queue_active.labels(queue=queue).set(active)
            metrics.queue_delayed.labels(queue=queue).set(delayed)
            metrics.queue_failed.labels(queue=queue).set(failed)

    async def _read_database(self) -> None:
        async with self._db_lock:
            if time.monotonic() - self._db_read_at < DB_CACHE_SECONDS:
                return
            try:
                async with asyncio.timeout(TIMEOUT_SECONDS), system_session(self._factory) as session:
                    instances = await session.execute(
                        select(WhatsAppInstance.connection_status, func.count())
                        .where(WhatsAppInstance.deleted_at.is_(None))
                        .group_by(WhatsAppInstance.connection_status)
                    )
                    states: dict[str, int] = {state: count for state, count in instances}
                    outbox = await session.execute(
                        select(OutboxEntry.queue, func.count())
                        .where(OutboxEntry.dead_at.is_not(None), OutboxEntry.kind == "job")
                        .group_by(OutboxEntry.queue)
                    )
                    dead: dict[str, int] = {queue: count for queue, count in outbox}
            except Exception as exc:
                metrics.collect_errors.labels(source="postgres").inc()
                log.warning("metrics.database_unreadable", error=str(exc)[:200])
                return
            self._db_read_at = time.monotonic()
        for state in CONNECTION_STATES:
            metrics.whatsapp_instances.labels(state=state).set(states.get(state, 0))
        other_states = sum(n for state, n in states.items() if state not in CONNECTION_STATES)
        metrics.whatsapp_instances.labels(state="other").set(other_states)
        values = {queue: float(dead.get(queue, 0)) for queue in ALL_QUEUES}
        # A row for a queue that does not exist is dead by definition; counted, not named.
        values["other"] = float(sum(n for queue, n in dead.items() if queue not in ALL_QUEUES))
        metrics.queue_dead_lettered.values = values
