"""`evoai worker`: BullMQ workers for the queues, with graceful shutdown.

On SIGTERM a worker takes no new job and waits (bounded) for its active ones. A job still running
when the grace period ends is cut off and put back in its queue at once for another worker; one cut
off by a hard kill is picked up when its lock expires (BullMQ's stalled-job check).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from typing import Any

import structlog
from bullmq import Job, Worker
from bullmq.redis_connection import RedisConnection, loadScript
from prometheus_client import start_http_server
from redis.asyncio import Redis

from evoai.config import Settings
from evoai.db import create_engine, session_factory
from evoai.deadletters import service as dead_letters
from evoai.observability import metrics
from evoai.observability.correlation import job_request_id
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


def _is_last_attempt(job: Job) -> bool:
    return int(job.attemptsMade) + 1 >= int((job.opts or {}).get("attempts", 1))


async def _dead_letter(ctx: JobContext, queue: str, job: Job, exc: BaseException) -> None:
    """The job failed its last attempt: keep it in dead_letters (spec 7.6). Never raises."""
    await dead_letters.record(
        ctx.factory,
        queue=queue,
        job_id=job.id,
        job_name=job.name,
        payload=job.data,
        attempts=job.attemptsMade + 1,
        exc=exc,
    )


def make_processor(ctx: JobContext, queue: str) -> Any:
    async def process(job: Job, token: str) -> Any:
        handler = HANDLERS[queue].get(job.name)
        if handler is None:
            unknown = UnknownJob(f"no handler for {queue}/{job.name}")
            if _is_last_attempt(job):
                await _dead_letter(ctx, queue, job, unknown)
            raise unknown
        # The request that caused the job (if any) tags every log line the job writes.
        request_id = job_request_id(job.data)
        context: dict[str, Any] = {"queue": queue, "job_id": job.id, "job": job.name}
        if request_id:
            context["request_id"] = request_id
        structlog.contextvars.bind_contextvars(**context)
        attempts = int((job.opts or {}).get("attempts", 1))
        JOB_ATTEMPT.set((job.attemptsMade + 1, attempts))
        started = time.perf_counter()
        outcome = "cut_off"  # unless it completes or raises: cancelled at shutdown
        try:
            result = await handler(ctx, job.data)
            outcome = "completed"
            log.info("job.completed", attempts=job.attemptsMade)
            return result
        except Exception as exc:
            outcome = "failed"
            log.warning("job.failed", attempts=job.attemptsMade, error=str(exc)[:300])
            if _is_last_attempt(job):
                await _dead_letter(ctx, queue, job, exc)
            raise
        finally:
            metrics.jobs.labels(queue=queue, job=job.name, outcome=outcome).inc()
            metrics.job_duration.labels(queue=queue, job=job.name).observe(time.perf_counter() - started)
            structlog.contextvars.unbind_contextvars(*context)

    return process


# BullMQ's own script (shipped with bullmq) that moves a job we hold back from active to wait.
_RELEASE_SCRIPT = "moveJobFromActiveToWait-9.lua"
_RELEASE_KEYS = ["active", "wait", "stalled", "paused", "meta", "limiter", "prioritized", "marker", "events"]


async def release_jobs(redis_url: str, held: list[tuple[Worker, Any, str]]) -> int:
    """Put cut-off jobs back in their queue (lock dropped, attempt not counted), so another worker
    runs them now instead of after the lock expires. Runs on a connection of its own: the workers'
    are closing. Returns how many were released."""
    if not held:
        return 0
    released = 0
    redis = Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=5)
    release = redis.register_script(loadScript(_RELEASE_SCRIPT))
    try:
        for worker, job, token in held:
            scripts = worker.scripts
            try:
                code = await release(
                    keys=scripts.getKeys(_RELEASE_KEYS), args=[job.id, token, scripts.toKey(job.id)]
                )
            except Exception as exc:
                log.warning("worker.release_failed", job_id=job.id, error=str(exc)[:200])
                continue
            if int(code) >= 0:
                released += 1
                log.warning("worker.job_released", queue=worker.name, job_id=job.id, job=job.name)
            else:
                log.warning("worker.release_refused", job_id=job.id, code=int(code))
    finally:
        await redis.aclose()
    return released


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
                "connection": queues.worker_connection(settings.REDIS_URL),
                "concurrency": queues.concurrency(settings, name),
                "lockDuration": 30_000,
                "stalledInterval": 15_000,
                "maxStalledCount": 2,
                # An idle worker's poll; new jobs wake it at once through bullmq's marker anyway.
                "drainDelay": 1,
            },
        )
        for name in names
    ]
    if settings.METRICS_PORT:
        # A plain HTTP server thread; worker pods are not exposed outside the cluster.
        start_http_server(settings.METRICS_PORT, registry=metrics.REGISTRY)
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
        held = [(w, job, token) for w in workers for job, token in list(w.jobs)]
        for w in workers:
            w.cancelProcessing()
        await asyncio.sleep(0)  # let the cancellations land before the jobs are handed on
        await release_jobs(settings.REDIS_URL, held)
        await asyncio.wait(unfinished, timeout=10)
    await relay.close()
    await engine.dispose()
    log.info("worker.stopped")
