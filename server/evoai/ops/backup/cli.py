"""`evoai backup ...`: run, list, restore, verify, prune, and the one-off set-up commands."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

import typer

from evoai.config import ConfigError, Settings, load_settings

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Backups and recovery (docs/operations.md)"
)


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        typer.echo(f"configuration error: {exc}", err=True)
        raise typer.Exit(code=78) from None


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=code)


def _timestamp(value: str) -> datetime:
    """ISO 8601; without a zone it is UTC."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter("expected an ISO 8601 time such as 2025-01-31T14:05:00Z") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _size(value: int) -> str:
    size = float(value)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TB"


@app.command("run")
def run_backup(
    kind: Annotated[str, typer.Argument(help="postgres (pg_dump), base (pg_basebackup), redis")] = "postgres",
) -> None:
    """Take one backup now and record it in the catalogue (a failure alerts like a scheduled one)."""
    from evoai.ops.backup import catalogue, pitr, postgres, redis_snapshot
    from evoai.ops.backup.pgtools import BackupError
    from evoai.ops.backup.service import run_job

    settings = _settings()
    storage = catalogue.backup_storage(settings)
    jobs = {
        "postgres": lambda: postgres.dump(settings, storage),
        "base": lambda: pitr.base_backup(settings, storage),
        "redis": lambda: redis_snapshot.snapshot(settings, storage),
    }
    if kind not in jobs:
        raise _fail(f"unknown kind {kind!r}; one of {', '.join(jobs)}", 2)
    try:
        manifest = asyncio.run(run_job(settings, kind, jobs[kind]))
    except BackupError as exc:
        raise _fail(str(exc)) from None
    typer.echo(
        f"{kind} backup {manifest.id}: {_size(manifest.size)} in {manifest.duration_seconds:.1f} s, "
        f"sha256 {manifest.sha256[:16]}…, server {manifest.server_version}"
    )


@app.command("list")
def list_backups() -> None:
    """Every backup in the catalogue with its size, duration and checksum."""
    from evoai.ops.backup import catalogue

    settings = _settings()
    storage = catalogue.backup_storage(settings)

    async def collect() -> None:
        for kind in catalogue.KINDS:
            found = await catalogue.manifests(storage, kind)
            typer.echo(f"{kind} ({len(found)})")
            for manifest in found:
                typer.echo(
                    f"  {manifest.id}  {_size(manifest.size):>10}  {manifest.duration_seconds:8.1f} s  "
                    f"sha256 {manifest.sha256[:16]}  {manifest.server_version}"
                )
        segments = await catalogue.wal_segments(storage)
        total = sum(item.size for item in segments)
        newest = segments[-1].key.rsplit("/", 1)[-1] if segments else "-"
        typer.echo(f"wal ({len(segments)} segments, {_size(total)}, newest {newest})")

    asyncio.run(collect())


@app.command()
def restore(
    at: Annotated[str | None, typer.Option(help="Point in time (ISO 8601, UTC without zone)")] = None,
    pitr_latest: Annotated[
        bool, typer.Option("--pitr", help="Base backup + all archived WAL (the latest possible moment)")
    ] = False,
    target_db: Annotated[
        str | None,
        typer.Option(help="A new database on the live server to restore into"),
    ] = None,
    target_dir: Annotated[Path | None, typer.Option(help="New data dir for --at / --pitr")] = None,
    backup: Annotated[str | None, typer.Option("--id", help="A dump's id (default: the latest)")] = None,
) -> None:
    """Restore into something new: the latest dump into a new database, or (--at/--pitr) a new cluster."""
    from evoai.ops.backup import catalogue, pitr, postgres
    from evoai.ops.backup.pgtools import BackupError

    settings = _settings()
    storage = catalogue.backup_storage(settings)
    try:
        if at is None and not pitr_latest:
            done = asyncio.run(postgres.restore_dump(settings, storage, target_db=target_db, ident=backup))
            typer.echo(
                f"restored dump {done.manifest.id} into database {done.database} in {done.seconds:.1f} s"
            )
            return
        moment = _timestamp(at) if at else None

        async def point_in_time() -> None:
            cluster = await pitr.restore_pitr(settings, storage, at=moment, target_dir=target_dir)
            typer.echo(
                f"recovered base backup {cluster.base_id} + {cluster.wal_segments} WAL segments to "
                f"{cluster.replayed_to or 'the end of the archive'} in {cluster.seconds:.1f} s"
            )
            if target_db:
                await pitr.copy_into_live(settings, cluster, target_db)
                await pitr.stop_cluster(settings, cluster.data_dir, remove=True)
                typer.echo(f"copied into the new database {target_db}; the scratch cluster is removed")
            else:
                typer.echo(f"the restored cluster is running: {cluster.url} (data in {cluster.data_dir})")
                typer.echo(f"stop it with: pg_ctl -D {cluster.data_dir} stop")

        asyncio.run(point_in_time())
    except BackupError as exc:
        raise _fail(str(exc)) from None


@app.command()
def verify(
    backup: Annotated[str | None, typer.Option("--id", help="A dump's id (default: the latest)")] = None,
    keep: Annotated[bool, typer.Option(help="Keep the scratch database for inspection")] = False,
) -> None:
    """Restore a dump into a scratch database, compare rows and checksums per table; exit 1 on mismatch."""
    from evoai.ops.backup import catalogue, postgres
    from evoai.ops.backup.pgtools import BackupError
    from evoai.ops.backup.service import run_job

    settings = _settings()
    storage = catalogue.backup_storage(settings)

    async def checked() -> postgres.Verification:
        result = await postgres.verify(settings, storage, ident=backup, keep=keep)
        if not result.ok:
            raise BackupError(
                f"dump {result.manifest_id} does not match its source: {'; '.join(result.mismatches)}"
            )
        return result

    try:
        result = asyncio.run(run_job(settings, "verify", checked))
    except BackupError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"dump {result.manifest_id}: {result.tables} tables match the source ({result.seconds:.1f} s)")


@app.command()
def prune(
    now: Annotated[str | None, typer.Option(help="Pretend it is this time (ISO 8601)")] = None,
) -> None:
    """Delete backups past their retention (the newest of each kind is always kept)."""
    from evoai.ops.backup import catalogue

    settings = _settings()
    storage = catalogue.backup_storage(settings)
    moment = _timestamp(now) if now else datetime.now(UTC)
    result = asyncio.run(catalogue.prune(storage, settings, now=moment))
    if not result.deleted:
        typer.echo("nothing to prune")
    for kind, ids in result.deleted.items():
        typer.echo(f"{kind}: deleted {len(ids)} ({', '.join(ids[:5])}{'…' if len(ids) > 5 else ''})")


@app.command("setup-bucket")
def setup_bucket() -> None:
    """Switch versioning on for the uploads bucket and read it back (S3 only)."""
    from evoai.ops.backup.buckets import enable_upload_versioning

    settings = _settings()
    outcome: tuple[Literal["ok", "n/a"], str] = asyncio.run(enable_upload_versioning(settings))
    typer.echo(outcome[1])
    if outcome[0] == "ok" and "Enabled" not in outcome[1]:
        raise typer.Exit(code=1)


@app.command("setup-wal-archive")
def setup_wal_archive(
    off: Annotated[bool, typer.Option("--off", help="Switch archiving off again")] = False,
) -> None:
    """Configure continuous WAL archiving (PostgreSQL on this machine), restarting it if needed."""
    from evoai.ops.backup import pitr
    from evoai.ops.backup.pgtools import BackupError

    settings = _settings()
    if not off and not settings.BACKUP_WAL_ARCHIVE:
        raise _fail("set BACKUP_WAL_ARCHIVE=true first (the scheduler ships the WAL only then)", 78)
    try:
        done = asyncio.run(pitr.setup_wal_archive(settings, enable=not off))
    except BackupError as exc:
        raise _fail(str(exc)) from None
    state = "off" if off else f"on (spool {done.spool})"
    typer.echo(f"WAL archiving {state}; PostgreSQL {'restarted' if done.restarted else 'reloaded'}")


@app.command("ship-wal")
def ship_wal() -> None:
    """Upload the archived WAL segments waiting in the spool now (the scheduler does it every few seconds)."""
    from evoai.ops.backup import catalogue, pitr

    settings = _settings()
    count = asyncio.run(pitr.ship_wal(settings, catalogue.backup_storage(settings)))
    typer.echo(f"shipped {count} WAL file(s)")
