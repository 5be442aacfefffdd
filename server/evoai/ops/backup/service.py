"""Running backup jobs: one wrapper that turns a failure into a log event, a metric and an alert, and
the scheduler's loops (daily dump at 00:00 UTC, base backup every 6 h, daily Redis snapshot, WAL
shipping every few seconds)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from typing import Any, TypeVar

import structlog
from redis.asyncio import Redis

from evoai.config import Settings
from evoai.ops.backup import catalogue, monitoring, pitr, postgres, redis_snapshot
from evoai.ops.backup.catalogue import Manifest
from evoai.ops.backup.schedule import Daily, EveryHours, Schedule
from evoai.storage.base import FileStorage

log = structlog.get_logger(__name__)
T = TypeVar("T")


async def run_job(settings: Settings, kind: str, job: Callable[[], Awaitable[T]]) -> T:
    """Run one backup job; on failure log, count, alert the super admins, then re-raise."""
    run_id = catalogue.backup_id(datetime.now(UTC))
    try:
        result = await job()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        log.error("backup.failed", kind=kind, run_id=run_id, error=error[:500])
        monitoring.record_failure(settings, kind)
        try:
            sent = await monitoring.notify_super_admins(settings, kind, error, run_id)
            log.info("backup.failure_notified", kind=kind, super_admins=sent)
        except Exception as notify_exc:
            log.error("backup.notify_failed", kind=kind, error=str(notify_exc)[:200])
        raise
    finished = result.finished if isinstance(result, Manifest) else datetime.now(UTC)
    monitoring.record_success(settings, kind, finished)
    if isinstance(result, Manifest):
        log.info("backup.done", kind=kind, id=result.id, size=result.size, seconds=result.duration_seconds)
    return result


async def dump_and_prune(settings: Settings, storage: FileStorage) -> Manifest:
    manifest = await postgres.dump(settings, storage)
    pruned = await catalogue.prune(storage, settings, now=datetime.now(UTC))
    if pruned.deleted:
        log.info("backup.pruned", deleted={kind: len(ids) for kind, ids in pruned.deleted.items()})
    return manifest


def _jobs(
    settings: Settings, storage: FileStorage
) -> list[tuple[str, Schedule, Callable[[], Awaitable[Any]]]]:
    jobs: list[tuple[str, Schedule, Callable[[], Awaitable[Any]]]] = [
        ("postgres", Daily.parse(settings.BACKUP_DUMP_AT), lambda: dump_and_prune(settings, storage)),
        ("redis", Daily.parse(settings.BACKUP_REDIS_AT), lambda: redis_snapshot.snapshot(settings, storage)),
    ]
    if settings.BACKUP_WAL_ARCHIVE:
        jobs.append(
            (
                "base",
                EveryHours(settings.BACKUP_BASE_EVERY_HOURS),
                lambda: pitr.base_backup(settings, storage),
            )
        )
    return jobs


async def _claim(redis: Redis, kind: str, slot: str) -> bool:
    """Only one scheduler replica runs a given slot's backup."""
    return bool(await redis.set(f"evoai:backup:{kind}:{slot}", "1", nx=True, ex=86400))


def backup_tasks(settings: Settings) -> list[Coroutine[Any, Any, None]]:
    """Coroutines for the scheduler to run until cancelled."""
    if not settings.BACKUP_ENABLED:
        return []
    storage = catalogue.backup_storage(settings)
    redis = Redis.from_url(settings.REDIS_URL)

    async def loop(kind: str, schedule: Schedule, job: Callable[[], Awaitable[Any]]) -> None:
        try:
            while True:
                now = datetime.now(UTC)
                due = schedule.next_after(now)
                await asyncio.sleep(max(0.0, (due - now).total_seconds()))
                try:
                    if await _claim(redis, kind, schedule.slot(due)):
                        await run_job(settings, kind, job)
                except Exception:  # noqa: S112 - run_job logged and alerted; try again next time
                    continue
        finally:
            await redis.aclose()

    async def ship_loop() -> None:
        while True:
            await asyncio.sleep(settings.BACKUP_WAL_SHIP_SECONDS)
            try:
                await pitr.ship_wal(settings, storage)
            except Exception as exc:
                log.error("backup.wal_ship_failed", error=str(exc)[:300])
                monitoring.record_failure(settings, "wal")

    tasks = [loop(kind, schedule, job) for kind, schedule, job in _jobs(settings, storage)]
    if settings.BACKUP_WAL_ARCHIVE:
        tasks.append(ship_loop())
    return tasks
