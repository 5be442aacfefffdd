"""`evoai scheduler`: relays the outbox (the safety net behind post-commit relays) and prunes it, and
runs the backups (evoai/ops/backup/service.py: daily dump, 6-hourly base backup, daily Redis snapshot),
the follow-up and flow sweeps (alarms Redis lost, SCHEDULE flows)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable

import structlog
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from evoai.ai.analysis import schedule_due
from evoai.ai.memory import schedule_recent
from evoai.config import Settings
from evoai.db import create_engine, session_factory, system_session
from evoai.deadletters.service import prune as prune_dead_letters
from evoai.flows import alarms as flow_alarms
from evoai.followups import alarms as followup_alarms
from evoai.ops.backup.service import backup_tasks
from evoai.whatsapp.tasks import schedule_reconciliation
from evoai.worker.enqueue import committed_outbox_ids
from evoai.worker.outbox import OutboxRelay

log = structlog.get_logger(__name__)
AlarmSweep = Callable[[Settings, async_sessionmaker[AsyncSession], OutboxRelay, Redis], Awaitable[int]]
PRUNE_EVERY_SECONDS = 3600
ANALYSIS_SWEEP_SECONDS = 60
EMBEDDING_SWEEP_SECONDS = 60  # memory.SWEEP_WINDOW (2 min) covers a late sweep


async def run_scheduler(settings: Settings, stop: asyncio.Event | None = None) -> None:
    engine = create_engine(settings, pool_size=2, max_overflow=2)
    factory = session_factory(engine)
    relay = OutboxRelay(factory, settings.REDIS_URL)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)

    async def prune_periodically() -> None:
        while True:
            await asyncio.sleep(PRUNE_EVERY_SECONDS)
            try:
                await relay.prune()
            except Exception as exc:
                log.warning("outbox.prune_failed", error=str(exc)[:200])

    async def sweep_periodically(
        seconds: float, name: str, sweep: Callable[[AsyncSession], Awaitable[int]]
    ) -> None:
        """Every `seconds`, let `sweep` queue jobs (in one transaction) and relay them."""
        while True:
            await asyncio.sleep(seconds)
            try:
                async with system_session(factory) as session:
                    count = await sweep(session)
                    ids = committed_outbox_ids(session)
                await relay.relay(ids)
                log.info(f"{name}_scheduled", count=count)
            except Exception as exc:
                log.warning(f"{name}_schedule_failed", error=str(exc)[:200])

    sweeps = [
        (settings.WHATSAPP_RECONCILE_SECONDS, "whatsapp.reconciliation", schedule_reconciliation, True),
        (ANALYSIS_SWEEP_SECONDS, "ai.analysis", schedule_due, settings.ENABLE_AI_ANALYSIS),
        (EMBEDDING_SWEEP_SECONDS, "ai.memory", schedule_recent, settings.ENABLE_EMBEDDINGS),
        (PRUNE_EVERY_SECONDS, "dead_letters.prune", prune_dead_letters, True),
    ]

    async def alarms_periodically(seconds: float, name: str, sweep: AlarmSweep) -> None:
        """Follow-ups' and flows' sweeps: they also watch Redis for lost data (a sentinel key)."""
        redis = Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
        try:
            while True:
                try:
                    queued = await sweep(settings, factory, relay, redis)
                    if queued:
                        log.info(f"{name}.queued", count=queued)
                except Exception as exc:
                    log.warning(f"{name}.sweep_failed", error=str(exc)[:200])
                await asyncio.sleep(seconds)
        finally:
            await redis.aclose()

    tasks = [
        asyncio.create_task(relay.run_forever()),
        asyncio.create_task(
            alarms_periodically(followup_alarms.SWEEP_SECONDS, "followups", followup_alarms.sweep)
        ),
        asyncio.create_task(alarms_periodically(flow_alarms.SWEEP_SECONDS, "flows", flow_alarms.sweep)),
        asyncio.create_task(prune_periodically()),
        *(asyncio.create_task(sweep_periodically(s, name, f)) for s, name, f, on in sweeps if on),
        *(asyncio.create_task(task) for task in backup_tasks(settings)),
    ]
    log.info("scheduler.started")
    await stop.wait()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await relay.close()
    await engine.dispose()
    log.info("scheduler.stopped")
