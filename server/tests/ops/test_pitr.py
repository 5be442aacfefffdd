"""Point-in-time recovery on a PostgreSQL of its own with WAL archiving on: a base backup, row A,
time T, row B; recovering to T brings back A and not B, in a new cluster beside the untouched source."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest

from evoai.config import Settings
from evoai.ops.backup import catalogue, pitr
from evoai.ops.backup.pgtools import BackupError
from evoai.ops.embedded import EmbeddedPostgres, free_port
from evoai.storage.base import FileStorage
from tests.conftest import Services
from tests.ops.conftest import backup_settings


@dataclass
class Archived:
    settings: Settings
    storage: FileStorage
    url: str


@pytest.fixture(scope="module")
async def archived(services: Services, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Archived]:
    root = tmp_path_factory.mktemp("pitr")
    server = EmbeddedPostgres(root / "source", free_port())
    await asyncio.to_thread(server.start)
    try:
        settings = backup_settings(
            services,
            root,
            BACKUP_DATABASE_URL=server.admin_url,
            BACKUP_WAL_ARCHIVE=True,
            BACKUP_WAL_SPOOL_DIR=root / "spool",
            BACKUP_ARCHIVE_TIMEOUT_SECONDS=5,
        )
        setup = await pitr.setup_wal_archive(settings)
        assert setup.restarted
        yield Archived(settings, catalogue.backup_storage(settings), server.admin_url)
    finally:
        await asyncio.to_thread(server.stop)


async def execute(url: str, *sql: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(url)
    try:
        result: list[asyncpg.Record] = []
        for statement in sql:
            result = list(await connection.fetch(statement))
        return result
    finally:
        await connection.close()


async def archive_everything(archived: Archived) -> None:
    """Switch to a new segment, wait until PostgreSQL has archived it, ship the spool."""
    rows = await execute(archived.url, "SELECT pg_walfile_name(pg_switch_wal())")
    wanted = rows[0][0]
    deadline = time.monotonic() + 30
    while True:
        status = await execute(
            archived.url, "SELECT last_archived_wal, last_failed_wal FROM pg_stat_archiver"
        )
        if status[0]["last_archived_wal"] and status[0]["last_archived_wal"] >= wanted:
            break
        assert time.monotonic() < deadline, f"not archived: {dict(status[0])}"
        await asyncio.sleep(0.1)
    await pitr.ship_wal(archived.settings, archived.storage)


async def test_archiving_is_configured(archived: Archived) -> None:
    rows = await execute(
        archived.url, "SELECT current_setting('archive_mode'), current_setting('archive_command')"
    )
    assert rows[0][0] == "on"
    assert str(archived.settings.BACKUP_WAL_SPOOL_DIR) in rows[0][1]


async def test_restore_to_a_time_between_two_writes(archived: Archived, tmp_path: Path) -> None:
    await execute(archived.url, "CREATE TABLE drill (id int PRIMARY KEY, note text)")
    base = await pitr.base_backup(archived.settings, archived.storage)
    assert base.wal_start
    assert {f.key.rsplit("/", 1)[-1] for f in base.files} >= {
        "base.tar.gz",
        "pg_wal.tar.gz",
    }

    await execute(archived.url, "INSERT INTO drill VALUES (1, 'A')")
    await asyncio.sleep(0.3)
    moment = (await execute(archived.url, "SELECT clock_timestamp()"))[0][0]
    await asyncio.sleep(0.3)
    await execute(archived.url, "INSERT INTO drill VALUES (2, 'B')")
    await archive_everything(archived)
    assert await catalogue.wal_segments(archived.storage)
    assert list((archived.settings.BACKUP_WAL_SPOOL_DIR or tmp_path).iterdir()) == []  # shipped, then removed

    cluster = await pitr.restore_pitr(
        archived.settings, archived.storage, at=moment, target_dir=tmp_path / "at-T"
    )
    try:
        restored = await execute(
            cluster.url.rsplit("/", 1)[0] + "/evoai", "SELECT note FROM drill ORDER BY id"
        )
        assert [r["note"] for r in restored] == ["A"]
        assert cluster.replayed_to is not None
        assert cluster.replayed_to <= moment
    finally:
        await pitr.stop_cluster(archived.settings, cluster.data_dir, remove=True)

    # The source still has both rows; "the latest possible moment" has both as well.
    assert len(await execute(archived.url, "SELECT * FROM drill")) == 2
    latest = await pitr.restore_pitr(archived.settings, archived.storage, target_dir=tmp_path / "latest")
    try:
        restored = await execute(
            latest.url.rsplit("/", 1)[0] + "/evoai", "SELECT note FROM drill ORDER BY id"
        )
        assert [r["note"] for r in restored] == ["A", "B"]
    finally:
        await pitr.stop_cluster(archived.settings, latest.data_dir, remove=True)


async def test_a_restore_never_reuses_a_directory(archived: Archived, tmp_path: Path) -> None:
    if not await catalogue.manifests(archived.storage, "base"):
        await pitr.base_backup(archived.settings, archived.storage)
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine")
    with pytest.raises(BackupError, match="not empty"):
        await pitr.restore_pitr(archived.settings, archived.storage, target_dir=occupied)
    assert (occupied / "keep.txt").read_text() == "mine"
