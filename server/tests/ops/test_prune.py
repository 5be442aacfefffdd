"""Retention with a controlled clock: dumps 30 days, base backups (+ their WAL) and Redis 7 days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from evoai.config import Settings
from evoai.ops.backup import catalogue
from evoai.ops.backup.catalogue import Kind, Manifest, StoredFile
from evoai.storage.base import FileStorage

NOW = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)


async def add(storage: FileStorage, kind: Kind, age: timedelta, wal_start: str = "") -> Manifest:
    finished = NOW - age
    ident = catalogue.backup_id(finished)
    key = f"backups/{kind}/{ident}.bin"
    stored = await storage.put(key, ident.encode(), "application/octet-stream")
    manifest = Manifest(
        kind=kind,
        id=ident,
        started_at=finished.isoformat(),
        finished_at=finished.isoformat(),
        duration_seconds=1.0,
        files=[StoredFile(key, stored.size, stored.sha256)],
        wal_start=wal_start,
    )
    await catalogue.save(storage, manifest)
    return manifest


def segment(number: int) -> str:
    return f"00000001{0:08X}{number:08X}"


async def test_prune_applies_each_kinds_retention(storage: FileStorage, ops_settings: Settings) -> None:
    old_dump = await add(storage, "postgres", timedelta(days=31))
    kept_dump = await add(storage, "postgres", timedelta(days=29))
    newest_dump = await add(storage, "postgres", timedelta(hours=1))
    old_base = await add(storage, "base", timedelta(days=8), wal_start=segment(2))
    kept_base = await add(storage, "base", timedelta(days=6), wal_start=segment(10))
    old_redis = await add(storage, "redis", timedelta(days=7, minutes=1))
    kept_redis = await add(storage, "redis", timedelta(days=6, hours=23))
    for number in (2, 9, 10, 11):
        await storage.put(f"backups/wal/{segment(number)}.gz", b"wal", "application/gzip")
    await storage.put("backups/wal/00000002.history.gz", b"history", "application/gzip")

    # Nothing is due yet an hour "earlier" than the first expiry.
    early = await catalogue.prune(storage, ops_settings, now=NOW - timedelta(days=2))
    assert early.deleted == {}

    result = await catalogue.prune(storage, ops_settings, now=NOW)

    assert result.deleted == {
        "postgres": [old_dump.id],
        "base": [old_base.id],
        "redis": [old_redis.id],
        "wal": [segment(2), segment(9)],
    }
    assert [m.id for m in await catalogue.manifests(storage, "postgres")] == [kept_dump.id, newest_dump.id]
    assert [m.id for m in await catalogue.manifests(storage, "base")] == [kept_base.id]
    assert [m.id for m in await catalogue.manifests(storage, "redis")] == [kept_redis.id]
    assert not await storage.exists(old_dump.files[0].key)
    remaining = [catalogue.segment_name(item.key) for item in await catalogue.wal_segments(storage)]
    assert remaining == [segment(10), segment(11), "00000002.history"]


async def test_the_newest_backup_of_a_kind_is_kept_however_old(
    storage: FileStorage, ops_settings: Settings
) -> None:
    only = await add(storage, "postgres", timedelta(days=90))
    older = await add(storage, "redis", timedelta(days=60))
    newest = await add(storage, "redis", timedelta(days=50))

    result = await catalogue.prune(storage, ops_settings, now=NOW)

    assert result.deleted == {"redis": [older.id]}
    assert [m.id for m in await catalogue.manifests(storage, "postgres")] == [only.id]
    assert [m.id for m in await catalogue.manifests(storage, "redis")] == [newest.id]


async def test_retention_follows_the_settings(storage: FileStorage, ops_settings: Settings) -> None:
    settings = ops_settings.model_copy(update={"BACKUP_DUMP_RETENTION_DAYS": 3})
    old = await add(storage, "postgres", timedelta(days=4))
    await add(storage, "postgres", timedelta(days=2))
    result = await catalogue.prune(storage, settings, now=NOW)
    assert result.deleted == {"postgres": [old.id]}
