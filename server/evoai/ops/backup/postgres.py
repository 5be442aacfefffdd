"""Logical backups: pg_dump in custom format, restored with pg_restore into a new database, verified."""

from __future__ import annotations

import asyncio
import re
import secrets
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

from evoai.config import Settings
from evoai.ops.backup import catalogue
from evoai.ops.backup.catalogue import Manifest, StoredFile
from evoai.ops.backup.pgtools import BackupError, Target, backup_target, client_major, find_program, run
from evoai.storage.base import FileStorage, file_sha256

_DATABASE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

_TABLES_SQL = """
SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
 WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1
"""
# Order-independent, constant-memory checksum: the sum of each row's 64-bit md5 prefix. Row order on
# disk differs between the source and a restore; sorting a million rows' text to hash them does not.
_FINGERPRINT_SQL = (
    "SELECT count(*), coalesce(sum(('x' || substr(md5(_evoai_row::text), 1, 16))::bit(64)::bigint"
    "::numeric), 0)::text FROM {table} AS _evoai_row"
)


async def server_version(connection: asyncpg.Connection) -> tuple[int, str]:
    number = int(await connection.fetchval("SHOW server_version_num"))
    return number // 10000, str(await connection.fetchval("SHOW server_version"))


async def connect(target: Target) -> asyncpg.Connection:
    try:
        return await asyncpg.connect(target.asyncpg_dsn(), timeout=15)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        raise BackupError(f"cannot connect to PostgreSQL at {target.host}:{target.port}: {exc}") from exc


async def fingerprint(connection: asyncpg.Connection) -> dict[str, dict[str, Any]]:
    """Rows and checksum of every table, as the connection's current snapshot sees them."""
    tables: dict[str, dict[str, Any]] = {}
    for (table,) in await connection.fetch(_TABLES_SQL):
        rows, checksum = await connection.fetchrow(_FINGERPRINT_SQL.format(table=table))
        tables[table] = {"rows": int(rows), "checksum": str(checksum)}
    return tables


async def dump(settings: Settings, storage: FileStorage) -> Manifest:
    """pg_dump -Fc with the client matching the server, plus the tables' fingerprint in the same snapshot."""
    target = backup_target(settings)
    started = datetime.now(UTC)
    clock = time.monotonic()
    connection = await connect(target)
    try:
        major, version = await server_version(connection)
        pg_dump = find_program(settings, "pg_dump", major)
        # A superuser or the owner sees every row; should RLS still apply, fail rather than back up less.
        await connection.execute("SET row_security = off")
        with tempfile.TemporaryDirectory(prefix="evoai-dump-") as scratch:
            path = Path(scratch) / "backup.dump"
            async with connection.transaction(isolation="repeatable_read", readonly=True):
                snapshot = await connection.fetchval("SELECT pg_export_snapshot()")
                process = await asyncio.create_subprocess_exec(
                    str(pg_dump),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(path),
                    "--dbname",
                    target.url,
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.PIPE,
                    env=target.env(),
                )
                tables, (_, stderr) = await asyncio.gather(fingerprint(connection), process.communicate())
                if process.returncode != 0:
                    tail = " | ".join(stderr.decode(errors="replace").strip().splitlines()[-5:])
                    raise BackupError(f"pg_dump failed ({process.returncode}): {tail}")
            ident = catalogue.backup_id(started)
            stored = await storage.put_file(
                f"{catalogue.ROOT}/postgres/{ident}.dump", path, "application/octet-stream"
            )
    finally:
        await connection.close()
    finished = datetime.now(UTC)
    manifest = Manifest(
        kind="postgres",
        id=ident,
        started_at=started.isoformat(),
        finished_at=finished.isoformat(),
        duration_seconds=round(time.monotonic() - clock, 3),
        files=[StoredFile(stored.key, stored.size, stored.sha256)],
        server_version=version,
        client_version=f"{pg_dump.name} {client_major(pg_dump)}",
        tables=tables,
        extra={"database": target.database},
    )
    await catalogue.save(storage, manifest)
    return manifest


async def latest_dump(storage: FileStorage, ident: str | None = None) -> Manifest:
    found = await catalogue.manifests(storage, "postgres")
    if ident is not None:
        found = [manifest for manifest in found if manifest.id == ident]
    if not found:
        raise BackupError(f"no PostgreSQL dump {ident or ''} in the catalogue".replace("  ", " "))
    return found[-1]


async def download_checked(storage: FileStorage, item: StoredFile, path: Path) -> None:
    await storage.get_file(item.key, path)
    digest = await asyncio.to_thread(file_sha256, path)
    if digest != item.sha256:
        raise BackupError(
            f"{item.key}: checksum mismatch (stored {digest[:12]}…, manifest {item.sha256[:12]}…)"
        )


@dataclass
class Restored:
    manifest: Manifest
    database: str
    target: Target
    seconds: float


async def restore_dump(
    settings: Settings,
    storage: FileStorage,
    *,
    target_db: str | None = None,
    ident: str | None = None,
    target: Target | None = None,
) -> Restored:
    """pg_restore a dump into a NEW database (never the source, never an existing one)."""
    source = backup_target(settings)
    target = target or source
    manifest = await latest_dump(storage, ident)
    name = target_db or f"evoai_restore_{manifest.id.lower()}"
    if not _DATABASE_NAME.match(name):
        raise BackupError(f"{name!r}: a database name is lower-case letters, digits and _ (up to 63)")
    same_server = (target.host, target.port) == (source.host, source.port)
    if same_server and name in {source.database, manifest.extra.get("database")}:
        raise BackupError(f"refusing to restore over the source database {name!r}; pick another name")
    clock = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="evoai-restore-") as scratch:
        path = Path(scratch) / "backup.dump"
        await download_checked(storage, manifest.files[0], path)
        admin = await connect(target.with_database("postgres"))
        try:
            if await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                raise BackupError(f"database {name!r} already exists; a restore never overwrites one")
            major, _ = await server_version(admin)
            pg_restore = find_program(settings, "pg_restore", major)
            await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        finally:
            await admin.close()
        restored = target.with_database(name)
        args = [str(pg_restore), "--exit-on-error", "--jobs=2", "--dbname", restored.url, str(path)]
        try:
            await asyncio.to_thread(run, args, env=restored.env())
        except BackupError:
            await drop_database(target, name)  # ours, and half-restored: nobody should mistake it for data
            raise
    return Restored(manifest, name, target.with_database(name), round(time.monotonic() - clock, 3))


async def drop_database(target: Target, name: str) -> None:
    admin = await connect(target.with_database("postgres"))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@dataclass
class Verification:
    manifest_id: str
    database: str
    tables: int
    mismatches: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.mismatches


def compare(expected: dict[str, dict[str, Any]], actual: dict[str, dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table), actual.get(table)
        if want is None:
            problems.append(f"{table}: in the restore but not in the source")
        elif got is None:
            problems.append(f"{table}: missing from the restore")
        elif want["rows"] != got["rows"]:
            problems.append(f"{table}: {got['rows']} rows restored, {want['rows']} in the source")
        elif want["checksum"] != got["checksum"]:
            problems.append(f"{table}: same row count ({got['rows']}) but different contents")
    return problems


async def verify(
    settings: Settings, storage: FileStorage, *, ident: str | None = None, keep: bool = False
) -> Verification:
    """Restore a dump into a scratch database and compare every table with the source's fingerprint,
    taken in the dump's own snapshot (so writes since the dump are not mistaken for damage)."""
    clock = time.monotonic()
    manifest = await latest_dump(storage, ident)
    scratch = f"evoai_verify_{secrets.token_hex(4)}"
    restored = await restore_dump(settings, storage, target_db=scratch, ident=manifest.id)
    try:
        connection = await connect(restored.target)
        try:
            actual = await fingerprint(connection)
        finally:
            await connection.close()
    finally:
        if not keep:
            await drop_database(restored.target, scratch)
    problems = compare(manifest.tables, actual)
    return Verification(manifest.id, scratch, len(actual), problems, round(time.monotonic() - clock, 3))
