"""`evoai scheduler`: relays the outbox (the safety net behind post-commit relays) and prunes it."""

from __future__ import annotations

import asyncio
import contextlib
import signal

import structlog

from evoai.config import Settings
from evoai.db import create_engine, session_factory, system_session
from evoai.whatsapp.tasks import schedule_reconciliation
from evoai.worker.enqueue import committed_outbox_ids
from evoai.worker.outbox import OutboxRelay

log = structlog.get_logger(__name__)
PRUNE_EVERY_SECONDS = 3600


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

    async def reconcile_periodically() -> None:
        while True:
            await asyncio.sleep(settings.WHATSAPP_RECONCILE_SECONDS)
            try:
                async with system_session(factory) as session:
                    count = await schedule_reconciliation(session)
                    ids = committed_outbox_ids(session)
                await relay.relay(ids)
                log.info("whatsapp.reconciliation_scheduled", instances=count)
            except Exception as exc:
                log.warning("whatsapp.reconciliation_schedule_failed", error=str(exc)[:200])

    tasks = [
        asyncio.create_task(relay.run_forever()),
        asyncio.create_task(prune_periodically()),
        asyncio.create_task(reconcile_periodically()),
    ]
    log.info("scheduler.started")
    await stop.wait()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await relay.close()
    await engine.dispose()
    log.info("scheduler.stopped")
