"""pg_dump backups on the real PostgreSQL: back up, list, restore into a new database, verify, and
what a failing backup leaves behind (metric, notification to the super admins)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest

from evoai.config import Settings
from evoai.ops.accounts import ensure_super_admin
from evoai.ops.backup import catalogue, monitoring, postgres
from evoai.ops.backup.pgtools import BackupError, client_major, find_program, parse_target, run
from evoai.ops.backup.service import run_job
from evoai.ops.embedded import free_port
from evoai.storage.base import FileStorage
from tests.conftest import Services, register
from tests.ops.conftest import backup_settings


async def rows(url: str, sql: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(url)
    try:
        return list(await connection.fetch(sql))
    finally:
        await connection.close()


async def test_backup_restore_verify_round_trip(
    client: httpx.AsyncClient, services: Services, ops_settings: Settings, storage: FileStorage
) -> None:
    alice = await register(client, "Alice", "Alice Co")
    await register(client, "Bob", "Bob Ltda")

    manifest = await postgres.dump(ops_settings, storage)

    assert manifest.files[0].key == f"backups/postgres/{manifest.id}.dump"
    assert manifest.size > 0
    assert len(manifest.sha256) == 64
    assert manifest.server_version
    assert manifest.client_version.startswith("pg_dump ")
    assert manifest.tables["public.companies"]["rows"] == 2
    assert manifest.tables["public.users"]["rows"] == 2
    assert [m.id for m in await catalogue.manifests(storage, "postgres")] == [manifest.id]

    target_db = f"evoai_restore_{uuid.uuid4().hex[:8]}"
    restored = await postgres.restore_dump(ops_settings, storage, target_db=target_db)
    try:
        names = await rows(restored.target.url, "SELECT name FROM companies ORDER BY name")
        assert [r["name"] for r in names] == ["Alice Co", "Bob Ltda"]
        emails = await rows(restored.target.url, "SELECT email FROM users ORDER BY email")
        assert alice.email in [r["email"] for r in emails]
        # Never over an existing database, never over the source.
        with pytest.raises(BackupError, match="already exists"):
            await postgres.restore_dump(ops_settings, storage, target_db=target_db)
        source = parse_target(services.admin_url).database
        with pytest.raises(BackupError, match="source database"):
            await postgres.restore_dump(ops_settings, storage, target_db=source)
    finally:
        await postgres.drop_database(restored.target, target_db)

    verification = await postgres.verify(ops_settings, storage)
    assert verification.ok, verification.mismatches
    assert verification.tables == len(manifest.tables)
    # The scratch database is gone afterwards.
    left = await rows(
        services.admin_url, "SELECT datname FROM pg_database WHERE datname LIKE 'evoai_verify_%'"
    )
    assert left == []


async def test_the_fingerprint_is_taken_in_the_dumps_snapshot(
    client: httpx.AsyncClient, services: Services, ops_settings: Settings, storage: FileStorage
) -> None:
    """Writes racing the backup are either in both the dump and its fingerprint, or in neither."""
    await register(client, "Carol", "Carol SA")

    async def keep_writing() -> None:
        for _ in range(6):
            await register(client, "Racer", "Racer Co")

    writer = asyncio.create_task(keep_writing())
    manifest = await postgres.dump(ops_settings, storage)
    await writer
    verification = await postgres.verify(ops_settings, storage, ident=manifest.id)
    assert verification.ok, verification.mismatches


async def test_verify_reports_a_dump_that_does_not_match_its_source(
    client: httpx.AsyncClient,
    services: Services,
    ops_settings: Settings,
    storage: FileStorage,
    tmp_path: Path,
) -> None:
    await register(client, "Dave", "Dave ME")
    manifest = await postgres.dump(ops_settings, storage)

    # A dump taken later (one company more) stored under the first manifest, re-hashed so the file
    # checksum passes: only the comparison with the source's tables can notice.
    await register(client, "Eve", "Eve Eireli")
    other = tmp_path / "other.dump"
    target = parse_target(services.admin_url)
    pg_dump = find_program(ops_settings, "pg_dump", int(manifest.server_version.split(".")[0]))
    run([str(pg_dump), "--format=custom", "--file", str(other), "--dbname", target.url], env=target.env())
    stored = await storage.put_file(manifest.files[0].key, other, "application/octet-stream")
    manifest.files[0].sha256 = stored.sha256
    await catalogue.save(storage, manifest)

    verification = await postgres.verify(ops_settings, storage)
    assert not verification.ok
    assert "public.companies: 2 rows restored, 1 in the source" in verification.mismatches

    # A damaged file is refused before anything is restored.
    await storage.put(manifest.files[0].key, b"PGDMP garbage", "application/octet-stream")
    with pytest.raises(BackupError, match="checksum mismatch"):
        await postgres.verify(ops_settings, storage)


async def test_a_failing_backup_counts_and_notifies_the_super_admins(
    client: httpx.AsyncClient, services: Services, tmp_path: Path, storage: FileStorage
) -> None:
    unreachable = f"postgresql://postgres@127.0.0.1:{free_port()}/evoai"
    settings = backup_settings(services, tmp_path, BACKUP_DATABASE_URL=unreachable)
    await ensure_super_admin(settings, "root@evoai.example.com", "super-secret-password")
    someone = await register(client, "Frank", "Frank Co")  # a company admin: not told about backups
    before = monitoring.failures("postgres")

    with pytest.raises(BackupError, match="cannot connect"):
        await run_job(settings, "postgres", lambda: postgres.dump(settings, storage))

    assert monitoring.failures("postgres") == before + 1
    text = monitoring.metrics_file(settings).read_text()
    assert 'evoai_backup_failures_total{kind="postgres"}' in text
    notes = await rows(
        services.admin_url,
        "SELECT u.email, n.title, n.data->>'kind' AS kind"
        " FROM notifications n JOIN users u ON u.id = n.user_id",
    )
    assert [(n["email"], n["kind"]) for n in notes] == [("root@evoai.example.com", "postgres")]
    assert notes[0]["title"] == "Backup falhou: postgres"
    assert someone.email not in [n["email"] for n in notes]
    assert await catalogue.manifests(storage, "postgres") == []


async def test_success_sets_the_last_success_metric(ops_settings: Settings, storage: FileStorage) -> None:
    manifest = await run_job(ops_settings, "postgres", lambda: postgres.dump(ops_settings, storage))
    value = monitoring.REGISTRY.get_sample_value(
        "evoai_backup_last_success_timestamp_seconds", {"kind": "postgres"}
    )
    assert value == pytest.approx(manifest.finished.timestamp())
    assert "evoai_backup_last_success_timestamp_seconds" in monitoring.metrics_file(ops_settings).read_text()


def fake_client(directory: Path, version: str) -> Path:
    directory.mkdir(parents=True)
    program = directory / "pg_dump"
    program.write_text(f"#!/bin/sh\necho 'pg_dump (PostgreSQL) {version}'\n")
    program.chmod(0o755)
    return program


def test_the_client_matching_the_server_is_chosen(ops_settings: Settings, tmp_path: Path) -> None:
    sixteen = fake_client(tmp_path / "pg16", "16.4")
    settings = ops_settings.model_copy(update={"PG_BIN_DIR": str(sixteen.parent)})
    assert find_program(settings, "pg_dump", 16) == sixteen
    # For a PostgreSQL 15 server the 16 in PG_BIN_DIR is not "matching", but a newer client works.
    assert client_major(find_program(settings, "pg_dump", 15)) in {15, 16, 17, 18}


def test_an_older_client_than_the_server_is_refused(ops_settings: Settings) -> None:
    with pytest.raises(BackupError, match=r"no pg_dump for PostgreSQL 99 or newer .*PG_BIN_DIR"):
        find_program(ops_settings, "pg_dump", 99)
