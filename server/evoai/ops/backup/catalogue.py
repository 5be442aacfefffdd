"""The backup catalogue: one JSON manifest per backup beside its files in storage, under backups/.

It lives with the backups, never in the database they protect, so it is there after that database is
gone. Keys sort by time: backups/postgres/20250101T000000Z.dump and .json, backups/base/<id>/..., a
flat backups/wal/ of compressed segments, backups/redis/<id>.rdb and .json.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from evoai.config import Settings
from evoai.storage.base import FileStorage, ListedObject, StorageError
from evoai.storage.local import LocalStorage
from evoai.storage.s3 import S3Storage
from evoai.storage.signing import derive_signing_key

Kind = Literal["postgres", "base", "redis"]
KINDS: tuple[Kind, ...] = ("postgres", "base", "redis")
ROOT = "backups"
WAL_PREFIX = f"{ROOT}/wal/"


def backup_storage(settings: Settings) -> FileStorage:
    if settings.STORAGE_PROVIDER == "s3":
        return S3Storage(
            settings.BACKUP_S3_BUCKET or settings.S3_BUCKET,
            region=settings.S3_REGION,
            access_key=settings.S3_ACCESS_KEY,
            secret_key=settings.S3_SECRET_KEY,
            endpoint_url=settings.S3_ENDPOINT,
        )
    return LocalStorage(
        settings.BACKUP_LOCAL_DIR or settings.EVOAI_DATA_DIR / "storage",
        signing_secret=derive_signing_key(settings.encryption_key_bytes or b"backups"),
    )


def backup_id(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y%m%dT%H%M%S") + f"{at.microsecond // 1000:03d}Z"


def manifest_key(kind: Kind, ident: str) -> str:
    return f"{ROOT}/{kind}/{ident}.json"


@dataclass
class StoredFile:
    key: str
    size: int
    sha256: str


@dataclass
class Manifest:
    kind: Kind
    id: str
    started_at: str
    finished_at: str
    duration_seconds: float
    files: list[StoredFile]
    server_version: str = ""
    client_version: str = ""
    # Dumps: rows and an order-independent checksum per table, taken in the dump's own snapshot.
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Base backups: first WAL segment a restore needs (older archived WAL may go once this one does).
    wal_start: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(item.size for item in self.files)

    @property
    def sha256(self) -> str:
        return self.files[0].sha256 if len(self.files) == 1 else ",".join(f.sha256[:16] for f in self.files)

    @property
    def started(self) -> datetime:
        return datetime.fromisoformat(self.started_at)

    @property
    def finished(self) -> datetime:
        return datetime.fromisoformat(self.finished_at)

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        data = json.loads(raw)
        data["files"] = [StoredFile(**item) for item in data.get("files", [])]
        return cls(**data)


async def save(storage: FileStorage, manifest: Manifest) -> None:
    """Written last: a backup without a manifest is unfinished and neither listed nor restored."""
    await storage.put(manifest_key(manifest.kind, manifest.id), manifest.to_json(), "application/json")


async def manifests(storage: FileStorage, kind: Kind) -> list[Manifest]:
    """Every finished backup of a kind, oldest first."""
    found: list[Manifest] = []
    for item in await storage.list_keys(f"{ROOT}/{kind}/"):
        if item.key.endswith(".json") and item.key.count("/") == 2:
            try:
                found.append(Manifest.from_json(await storage.get(item.key)))
            except (StorageError, ValueError, TypeError, KeyError):
                continue  # a damaged manifest must not hide the others
    return sorted(found, key=lambda manifest: manifest.id)


async def wal_segments(storage: FileStorage) -> list[ListedObject]:
    return await storage.list_keys(WAL_PREFIX)


def segment_name(key: str) -> str:
    return key.removeprefix(WAL_PREFIX).removesuffix(".gz")


@dataclass
class Pruned:
    deleted: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, ident: str) -> None:
        self.deleted.setdefault(kind, []).append(ident)


async def _delete_backup(storage: FileStorage, manifest: Manifest) -> None:
    # The manifest goes first: a half-deleted backup is then simply not listed any more.
    await storage.delete(manifest_key(manifest.kind, manifest.id))
    for item in manifest.files:
        await storage.delete(item.key)


async def prune(storage: FileStorage, settings: Settings, *, now: datetime) -> Pruned:
    """Delete backups past their retention (dumps 30 days, base backups + WAL and Redis 7 by default).

    The newest backup of each kind is always kept, however old: when backups stop working, pruning
    must not delete the last one there is. WAL goes when no kept base backup needs it.
    """
    result = Pruned()
    retention = {
        "postgres": timedelta(days=settings.BACKUP_DUMP_RETENTION_DAYS),
        "base": timedelta(days=settings.BACKUP_PITR_RETENTION_DAYS),
        "redis": timedelta(days=settings.BACKUP_REDIS_RETENTION_DAYS),
    }
    kept_bases: list[Manifest] = []
    for kind in KINDS:
        found = await manifests(storage, kind)
        for index, manifest in enumerate(found):
            newest = index == len(found) - 1
            if not newest and manifest.finished < now - retention[kind]:
                await _delete_backup(storage, manifest)
                result.add(kind, manifest.id)
            elif kind == "base":
                kept_bases.append(manifest)
    oldest_needed = min((base.wal_start[8:] for base in kept_bases if base.wal_start), default=None)
    for item in await wal_segments(storage):
        name = segment_name(item.key)
        # Timeline history files are tiny and every later restore may need them.
        if name.endswith(".history"):
            continue
        if oldest_needed is None:
            expired = item.modified < now - retention["base"]  # no base backup can use it
        else:
            expired = name[8:24] < oldest_needed
        if expired:
            await storage.delete(item.key)
            result.add("wal", name)
    return result
