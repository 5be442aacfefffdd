"""Point-in-time recovery: pg_basebackup (tar) every few hours plus continuously archived WAL.

Archiving is two steps. PostgreSQL's archive_command copies each finished segment into a spool
directory on the same machine (a plain `cp`: fast, no Python start-up per 16 MB segment, and
PostgreSQL itself retries it and keeps the WAL until it succeeds). The scheduler ships the spool to
storage every few seconds, gzip-compressed, and removes what it shipped. archive_timeout forces a
segment switch on a quiet server, which bounds the data lost with the machine (RPO). We chose this
over pg_receivewal: that is one more long-running process to supervise, and a replication slot left
behind by a stopped receiver fills the server's disk with WAL.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from evoai.config import Settings
from evoai.ops.backup import catalogue
from evoai.ops.backup.catalogue import Manifest, StoredFile
from evoai.ops.backup.pgtools import BackupError, backup_target, client_major, find_program, run
from evoai.ops.backup.postgres import connect, download_checked, server_version
from evoai.ops.embedded import free_port
from evoai.storage.base import FileStorage


def _system_user() -> str | None:
    """PostgreSQL refuses to run as root; the embedded stack runs it as a dedicated user."""
    from evoai.ops.embedded import _pg_system_user

    return _pg_system_user()


def spool_dir(settings: Settings) -> Path:
    return settings.BACKUP_WAL_SPOOL_DIR or settings.EVOAI_DATA_DIR / "wal-spool"


def archive_command(spool: Path) -> str:
    if "'" in str(spool) or '"' in str(spool):
        raise BackupError("BACKUP_WAL_SPOOL_DIR must not contain quotes")
    # A name is only complete once renamed: the shipper skips *.part, so it never ships half a segment.
    return f'cp "%p" "{spool}/%f.part" && mv "{spool}/%f.part" "{spool}/%f"'


def _chown_tree(path: Path, user: str | None) -> None:
    if user is None:
        return
    import pwd

    from pgserver.utils import ensure_prefix_permissions

    ensure_prefix_permissions(path)  # the server must be able to reach it through root-only parents
    entry = pwd.getpwnam(user)
    os.chown(path, entry.pw_uid, entry.pw_gid)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.lchown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)


@dataclass
class ArchiveSetup:
    spool: Path
    data_directory: Path
    restarted: bool


async def setup_wal_archive(settings: Settings, *, enable: bool = True) -> ArchiveSetup:
    """Switch continuous archiving on (or off) with ALTER SYSTEM, restarting PostgreSQL when needed.

    Only for a PostgreSQL on this machine (the embedded one, or one we may restart with pg_ctl): the
    spool must be a directory both the server and the scheduler see.
    """
    target = backup_target(settings)
    spool = spool_dir(settings)
    connection = await connect(target)
    try:
        major, _ = await server_version(connection)
        data_directory = Path(await connection.fetchval("SHOW data_directory"))
        if not await asyncio.to_thread(data_directory.is_dir):
            raise BackupError(
                f"PostgreSQL's data directory {data_directory} is not on this machine: WAL archiving "
                "into storage needs PostgreSQL here (use the provider's point-in-time recovery otherwise)"
            )
        if enable:
            spool.mkdir(parents=True, exist_ok=True)
            _chown_tree(spool, _system_user())
            await connection.execute("ALTER SYSTEM SET archive_mode = 'on'")
            await connection.execute(f"ALTER SYSTEM SET archive_command = '{archive_command(spool)}'")
            await connection.execute(
                f"ALTER SYSTEM SET archive_timeout = '{settings.BACKUP_ARCHIVE_TIMEOUT_SECONDS}s'"
            )
        else:
            for name in ("archive_mode", "archive_command", "archive_timeout"):
                await connection.execute(f"ALTER SYSTEM RESET {name}")
        await connection.execute("SELECT pg_reload_conf()")
        await asyncio.sleep(0.2)  # the reload is asynchronous
        pending = await connection.fetchval(
            "SELECT pending_restart FROM pg_settings WHERE name='archive_mode'"
        )
    finally:
        await connection.close()
    if pending:
        pg_ctl = find_program(settings, "pg_ctl", major)
        # -l: without it the new postmaster keeps our captured stdout open and run() never returns.
        log = data_directory / "server.log"
        args = [
            str(pg_ctl),
            "-D",
            str(data_directory),
            "-l",
            str(log),
            "-w",
            "-t",
            "120",
            "-m",
            "fast",
            "restart",
        ]
        await asyncio.to_thread(run, args, user=_system_user())
    return ArchiveSetup(spool, data_directory, bool(pending))


async def ship_wal(settings: Settings, storage: FileStorage) -> int:
    """Upload every complete segment in the spool (gzip), deleting each once it is stored."""
    spool = spool_dir(settings)
    if not spool.is_dir():
        return 0
    names = sorted(path.name for path in spool.iterdir() if not path.name.endswith(".part"))
    for name in names:
        source = spool / name
        with tempfile.TemporaryDirectory(prefix="evoai-wal-") as scratch:
            packed = Path(scratch) / f"{name}.gz"
            await asyncio.to_thread(_gzip, source, packed)
            await storage.put_file(f"{catalogue.WAL_PREFIX}{name}.gz", packed, "application/gzip")
        source.unlink(missing_ok=True)
    return len(names)


def _gzip(source: Path, target: Path) -> None:
    # Level 1: a forced switch leaves mostly zeros, which any level shrinks to nothing; busy WAL pays
    # for higher levels in CPU on the database machine.
    with source.open("rb") as reader, gzip.open(target, "wb", compresslevel=1) as writer:
        shutil.copyfileobj(reader, writer, 1 << 20)


def _gunzip(source: Path, target: Path) -> None:
    with gzip.open(source, "rb") as reader, target.open("wb") as writer:
        shutil.copyfileobj(reader, writer, 1 << 20)


async def base_backup(settings: Settings, storage: FileStorage) -> Manifest:
    """pg_basebackup in tar format with its own WAL (-X stream), so it is consistent by itself."""
    target = backup_target(settings)
    started = datetime.now(UTC)
    clock = time.monotonic()
    connection = await connect(target)
    try:
        major, version = await server_version(connection)
    finally:
        await connection.close()
    pg_basebackup = find_program(settings, "pg_basebackup", major)
    ident = catalogue.backup_id(started)
    files: list[StoredFile] = []
    with tempfile.TemporaryDirectory(prefix="evoai-base-") as scratch:
        out = Path(scratch) / "base"
        args = [
            str(pg_basebackup),
            "--dbname",
            target.url,
            "--pgdata",
            str(out),
            "--format=tar",
            "--wal-method=stream",
            "--compress=client-gzip:1",
            "--checkpoint=fast",
            "--no-sync",  # the files go to storage next; fsyncing a scratch copy buys nothing
            "--verbose",
        ]
        log = await asyncio.to_thread(run, args, env=target.env())
        start_lsn = _start_lsn(log)
        for path in sorted(out.iterdir()):
            stored = await storage.put_file(
                f"{catalogue.ROOT}/base/{ident}/{path.name}", path, "application/octet-stream"
            )
            files.append(StoredFile(stored.key, stored.size, stored.sha256))
    connection = await connect(target)
    try:
        wal_start = str(await connection.fetchval("SELECT pg_walfile_name($1::text::pg_lsn)", start_lsn))
    finally:
        await connection.close()
    manifest = Manifest(
        kind="base",
        id=ident,
        started_at=started.isoformat(),
        finished_at=datetime.now(UTC).isoformat(),
        duration_seconds=round(time.monotonic() - clock, 3),
        files=files,
        server_version=version,
        client_version=f"pg_basebackup {client_major(pg_basebackup)}",
        wal_start=wal_start,
        extra={"start_lsn": start_lsn},
    )
    await catalogue.save(storage, manifest)
    return manifest


def _start_lsn(log: str) -> str:
    for line in log.splitlines():
        if "write-ahead log start point:" in line:
            return line.split("start point:", 1)[1].split()[0]
    raise BackupError("pg_basebackup did not report its WAL start point")


@dataclass
class RestoredCluster:
    data_dir: Path
    port: int
    url: str
    base_id: str
    wal_segments: int
    replayed_to: datetime | None
    seconds: float


def _write_recovery_config(data_dir: Path, wal_dir: Path, port: int, at: datetime | None) -> None:
    lines = [
        "",
        "# evoai backup restore: recovery into a new cluster (later lines win over earlier ones)",
        f'restore_command = \'cp "{wal_dir}/%f" "%p"\'',
        "recovery_target_action = 'promote'",
        "recovery_target_timeline = 'latest'",
        # The restored cluster must never archive into the live cluster's spool.
        "archive_mode = 'off'",
        # No queries until recovery ends: lets pg_ctl -w wait for the end, and skips the hot-standby
        # checks that refuse to start with fewer max_connections than the source had.
        "hot_standby = 'off'",
        f"port = {port}",
        "listen_addresses = '127.0.0.1'",
        f"unix_socket_directories = '{data_dir}'",
    ]
    if at is not None:
        lines.append(f"recovery_target_time = '{at.astimezone(UTC).isoformat()}'")
    with (data_dir / "postgresql.auto.conf").open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    (data_dir / "recovery.signal").touch()


async def restore_pitr(
    settings: Settings,
    storage: FileStorage,
    *,
    at: datetime | None = None,
    target_dir: Path | None = None,
    port: int | None = None,
    wait_seconds: float = 3600,
) -> RestoredCluster:
    """Base backup + archived WAL replayed to `at` (or to the end of the archive) in a NEW data
    directory, started on a free port and promoted. Nothing of the source is touched."""
    clock = time.monotonic()
    bases = await catalogue.manifests(storage, "base")
    if at is not None:
        bases = [base for base in bases if base.finished <= at]
    if not bases:
        raise BackupError("no base backup finished before the requested time" if at else "no base backup")
    base = bases[-1]
    data_dir = (
        target_dir
        or settings.EVOAI_DATA_DIR / "restores" / f"{base.id}-{catalogue.backup_id(datetime.now(UTC))}"
    )
    if data_dir.exists() and any(data_dir.iterdir()):
        raise BackupError(f"{data_dir} is not empty; a restore never overwrites a directory")
    wal_dir = data_dir.with_name(data_dir.name + ".wal")
    data_dir.mkdir(parents=True, exist_ok=True)
    wal_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="evoai-pitr-") as scratch:
        for item in base.files:
            name = item.key.rsplit("/", 1)[-1]
            local = Path(scratch) / name
            await download_checked(storage, item, local)
            if name.startswith("base.tar"):
                await asyncio.to_thread(_extract, local, data_dir)
            elif name.startswith("pg_wal.tar"):
                await asyncio.to_thread(_extract, local, data_dir / "pg_wal")
            local.unlink()
        segments = 0
        for segment in await catalogue.wal_segments(storage):
            name = catalogue.segment_name(segment.key)
            if name.endswith(".history") or name[8:24] >= base.wal_start[8:24]:
                packed = Path(scratch) / f"{name}.gz"
                await storage.get_file(segment.key, packed)
                await asyncio.to_thread(_gunzip, packed, wal_dir / name)
                packed.unlink()
                segments += 1
    port = port or free_port()
    _write_recovery_config(data_dir, wal_dir, port, at)
    user = _system_user()
    await asyncio.to_thread(_chown_tree, data_dir, user)
    await asyncio.to_thread(_chown_tree, wal_dir, user)
    data_dir.chmod(0o700)
    major = int((data_dir / "PG_VERSION").read_text().strip())
    pg_ctl = find_program(settings, "pg_ctl", major)
    log = data_dir / "restore.log"
    start = [str(pg_ctl), "-D", str(data_dir), "-l", str(log), "-w", "-t", str(int(wait_seconds)), "start"]
    try:
        await asyncio.to_thread(run, start, user=user)
    except BackupError as exc:
        tail = log.read_text(errors="replace").strip().splitlines()[-5:] if log.exists() else []
        raise BackupError(f"{exc} | server log: {' | '.join(tail)}") from exc
    url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    replayed_to = await _wait_promoted(url, data_dir, wait_seconds)
    return RestoredCluster(
        data_dir, port, url, base.id, segments, replayed_to, round(time.monotonic() - clock, 3)
    )


def _extract(archive: Path, into: Path) -> None:
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="tar")


async def _wait_promoted(url: str, data_dir: Path, wait_seconds: float) -> datetime | None:
    """Until recovery has ended and the cluster is promoted; fail with the log if the server died."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            connection = await asyncpg.connect(url, timeout=10)
        except (asyncpg.CannotConnectNowError, OSError):
            if not await asyncio.to_thread((data_dir / "postmaster.pid").exists):
                log = data_dir / "restore.log"
                lines = log.read_text(errors="replace").strip().splitlines()[-5:] if log.exists() else []
                raise BackupError(f"recovery failed: {' | '.join(lines)}") from None
        else:
            try:
                if not await connection.fetchval("SELECT pg_is_in_recovery()"):
                    value = await connection.fetchval("SELECT pg_last_xact_replay_timestamp()")
                    return value if isinstance(value, datetime) else None
            finally:
                await connection.close()
        if time.monotonic() > deadline:
            raise BackupError("the restored cluster did not finish recovery in time")
        await asyncio.sleep(0.2)


async def stop_cluster(settings: Settings, data_dir: Path, *, remove: bool = False) -> None:
    major = int((data_dir / "PG_VERSION").read_text().strip())
    pg_ctl = find_program(settings, "pg_ctl", major)
    args = [str(pg_ctl), "-D", str(data_dir), "-w", "-m", "fast", "stop"]
    await asyncio.to_thread(run, args, user=_system_user())
    if remove:
        await asyncio.to_thread(shutil.rmtree, data_dir, True)
        await asyncio.to_thread(shutil.rmtree, data_dir.with_name(data_dir.name + ".wal"), True)


async def copy_into_live(settings: Settings, cluster: RestoredCluster, target_db: str) -> str:
    """Dump the application database out of a restored cluster into a NEW database of the live server."""
    from evoai.ops.backup.pgtools import parse_target
    from evoai.ops.backup.postgres import _DATABASE_NAME, drop_database

    live = backup_target(settings)
    if not _DATABASE_NAME.match(target_db) or target_db == live.database:
        raise BackupError(f"{target_db!r}: pick a new, valid database name (never the live one)")
    source = parse_target(cluster.url).with_database(live.database)
    admin = await connect(live.with_database("postgres"))
    try:
        if await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", target_db):
            raise BackupError(f"database {target_db!r} already exists; a restore never overwrites one")
        major, _ = await server_version(admin)
        await admin.execute(f'CREATE DATABASE "{target_db}" TEMPLATE template0')
    finally:
        await admin.close()
    pg_dump = find_program(settings, "pg_dump", major)
    pg_restore = find_program(settings, "pg_restore", major)
    with tempfile.TemporaryDirectory(prefix="evoai-pitr-copy-") as scratch:
        path = Path(scratch) / "restored.dump"
        try:
            await asyncio.to_thread(
                run, [str(pg_dump), "--format=custom", "--file", str(path), "--dbname", source.url]
            )
            restored = live.with_database(target_db)
            args = [str(pg_restore), "--exit-on-error", "--jobs=2", "--dbname", restored.url, str(path)]
            await asyncio.to_thread(run, args, env=restored.env())
        except BackupError:
            await drop_database(live, target_db)
            raise
    return target_db
