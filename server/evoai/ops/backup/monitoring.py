"""What a failing backup leaves behind: a log event, Prometheus metrics and a notification to the
platform's super admins (backups are platform-wide, not any one company's)."""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime
from pathlib import Path

import structlog
from prometheus_client import CollectorRegistry, Counter, Gauge, write_to_textfile
from sqlalchemy import select

from evoai.config import Settings

log = structlog.get_logger(__name__)

# Our own registry: backups run in the scheduler, which serves no /metrics; the registry is written
# as a node_exporter textfile (BACKUP_METRICS_FILE) after every run instead.
REGISTRY = CollectorRegistry()
FAILURES = Counter("evoai_backup_failures", "Backup jobs that failed, by kind", ["kind"], registry=REGISTRY)
LAST_SUCCESS = Gauge(
    "evoai_backup_last_success_timestamp_seconds",
    "Unix time the last backup of each kind finished",
    ["kind"],
    registry=REGISTRY,
)


def metrics_file(settings: Settings) -> Path:
    return settings.BACKUP_METRICS_FILE or settings.EVOAI_DATA_DIR / "metrics" / "evoai_backup.prom"


def _write(settings: Settings) -> None:
    path = metrics_file(settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_to_textfile(str(path), REGISTRY)
    except OSError as exc:
        log.warning("backup.metrics_write_failed", path=str(path), error=str(exc)[:200])


def record_success(settings: Settings, kind: str, finished: datetime) -> None:
    LAST_SUCCESS.labels(kind=kind).set(finished.timestamp())
    FAILURES.labels(kind=kind).inc(0)  # the series exists from the first run, so rate() works
    _write(settings)


def record_failure(settings: Settings, kind: str) -> None:
    FAILURES.labels(kind=kind).inc()
    _write(settings)


def failures(kind: str) -> float:
    return REGISTRY.get_sample_value("evoai_backup_failures_total", {"kind": kind}) or 0.0


async def notify_super_admins(settings: Settings, kind: str, error: str, run_id: str) -> int:
    """One notification per super admin, in their active company (else their first). Returns how many.

    Notifications belong to a company; a super admin's own platform workspace is where they see them.
    When the application database itself is down this cannot be stored: the log event and the metric
    are then the alert (docs/operations.md lists the alert rule).
    """
    from evoai.db import create_engine, session_factory, system_session
    from evoai.models import Membership, Profile, User
    from evoai.notifications.service import notify

    engine = create_engine(settings, pool_size=1, max_overflow=0)
    sent = 0
    try:
        async with system_session(session_factory(engine)) as session:
            admins = (await session.scalars(select(User.id).where(User.is_super_admin.is_(True)))).all()
            for user_id in admins:
                company_id: uuid.UUID | None = await session.scalar(
                    select(Profile.active_company_id).where(Profile.user_id == user_id)
                )
                if company_id is None:
                    company_id = await session.scalar(
                        select(Membership.company_id).where(Membership.user_id == user_id).limit(1)
                    )
                if company_id is None:
                    continue
                created = await notify(
                    session,
                    company_id=company_id,
                    user_ids=[user_id],
                    type="backup_failed",
                    title=f"Backup falhou: {kind}",
                    body=error[:500],
                    data={"kind": kind, "runId": run_id},
                    dedupe_key=f"backup_failed:{kind}:{run_id}",
                )
                sent += len(created)
    finally:
        with contextlib.suppress(Exception):
            await engine.dispose()
    return sent
