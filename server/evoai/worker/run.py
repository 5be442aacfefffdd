"""`evoai worker`: BullMQ workers for the queues, with graceful shutdown.

On SIGTERM a worker takes no new job and waits (bounded) for its active ones; a job cut off by a
hard kill is picked up by another worker when its lock expires (BullMQ's stalled-job check).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from typing import Any

import structlog
from bullmq import Job, Worker
from bullmq.redis_connection import RedisConnection

from evoai.config import Settings
from evoai.db import create_engine, session_factory
from evoai.worker import queues
from evoai.worker.context import JOB_ATTEMPT, JobContext
from evoai.worker.outbox import OutboxRelay
from evoai.worker.registry import HANDLERS

log = structlog.get_logger(__name__)

# bullmq-py never probes the server version, so it rounds blocking timeouts up to whole seconds;
# every Redis we support (>= 6.2) takes fractional timeouts.
RedisConnection.capabilities["canDoubleTimeout"] = True


class UnknownJob(Exception):
    pass


def make_processor(ctx: JobContext, queue: str) -> Any:
    async def process(job: Job, token: str) -> Any:
        handler = HANDLERS[queue].get(job.name)
        if handler is None:
            raise UnknownJob(f"no handler for {queue}/{job.name}")
        structlog.contextvars.bind_contextvars(queue=queue, job_id=job.id, job=job.name)
        attempts = int((job.opts or {}).get("attempts", 1))
        JOB_ATTEMPT.set((job.attemptsMade + 1, attempts))
        try:
            result = await handler(ctx, job.data)
            log.info("job.completed", attempts=job.attemptsMade)
            return result
        except Exception as exc:
            log.warning("job.failed", attempts=job.attemptsMade, error=str(exc)[:300])
            raise
        finally:
            structlog.contextvars.unbind_contextvars("queue", "job_id", "job")

    return process


async def run_workers(
    settings: Settings,
    names: list[str],
    *,
    stop: asyncio.Event | None = None,
    grace_seconds: float | None = None,
) -> None:
    # One connection per concurrent job (a job holds at most one at a time) plus the relay's: a pool
    # smaller than that churns connections, each a new backend process.
    engine = create_engine(
        settings, pool_size=sum(queues.concurrency(settings, n) for n in names) + 1, max_overflow=2
    )
    factory = session_factory(engine)
    relay = OutboxRelay(factory, settings.REDIS_URL)
    ctx = JobContext(settings, factory, relay)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    workers = [
        Worker(
            name,
            make_processor(ctx, name),
            {
                "connection": settings.REDIS_URL,
                "concurrency": queues.concurrency(settings, name),
                "lockDuration": 30_000,
                "stalledInterval": 15_000,
                "maxStalledCount": 2,
                # With the default 5 s, bullmq-py 3.4 noticed a job added to an idle queue only
                # ~7 s later (measured); 1 s keeps pickup immediate at one cheap poll per second.
                "drainDelay": 1,
            },
        )
        for name in names
    ]
    log.info("worker.started", queues=names)
    await stop.wait()
    log.info("worker.stopping")
    grace = settings.SHUTDOWN_GRACE_SECONDS if grace_seconds is None else grace_seconds
    closing = [asyncio.create_task(w.close()) for w in workers]
    _, unfinished = await asyncio.wait(closing, timeout=grace)
    if unfinished:
        # bullmq's close() waits for active jobs however long they take: cut them off. Their locks
        # lapse and the stalled-job check hands them to another worker.
        log.warning("worker.grace_expired", unfinished_workers=len(unfinished))
        for w in workers:
            w.cancelProcessing()
        await asyncio.wait(unfinished, timeout=10)
    await relay.close()
    await engine.dispose()
    log.info("worker.stopped")
