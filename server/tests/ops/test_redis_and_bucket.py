"""The daily Redis snapshot (BGSAVE + copy of the RDB file) and upload-bucket versioning on moto."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer
from redis.asyncio import Redis

from evoai.config import Settings
from evoai.ops.backup import catalogue, redis_snapshot
from evoai.ops.backup.buckets import enable_upload_versioning
from evoai.ops.backup.pgtools import BackupError
from evoai.storage.base import FileStorage
from evoai.storage.s3 import S3Storage
from tests.conftest import Services
from tests.ops.conftest import backup_settings


async def test_redis_snapshot_copies_a_fresh_rdb(
    ops_settings: Settings, storage: FileStorage, tmp_path: Path
) -> None:
    redis = Redis.from_url(ops_settings.REDIS_URL)
    await redis.set("backup:probe", "42")
    await redis.aclose()

    manifest = await redis_snapshot.snapshot(ops_settings, storage)

    assert manifest.extra["method"] == "bgsave"
    assert manifest.server_version.startswith("redis ")
    copy = tmp_path / "copy.rdb"
    await storage.get_file(manifest.files[0].key, copy)
    data = copy.read_bytes()
    assert data.startswith(b"REDIS")
    assert b"backup:probe" in data
    assert [m.id for m in await catalogue.manifests(storage, "redis")] == [manifest.id]


async def test_remote_redis_without_redis_cli_says_what_to_do(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(redis_snapshot, "redis_cli", lambda: None)
    monkeypatch.setattr(redis_snapshot, "LOCAL_HOSTS", set())
    settings = backup_settings(services, tmp_path)  # reachable, but treated as remote
    with pytest.raises(BackupError, match="redis-cli is not installed"):
        await redis_snapshot.snapshot(settings, catalogue.backup_storage(settings))


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


async def test_setup_bucket_switches_versioning_on_and_reads_it_back(
    services: Services, tmp_path: Path, moto_endpoint: str
) -> None:
    s3 = {"S3_BUCKET": "evoai-uploads", "S3_ACCESS_KEY": "testing", "S3_SECRET_KEY": "testing"}
    settings = backup_settings(services, tmp_path, STORAGE_PROVIDER="s3", S3_ENDPOINT=moto_endpoint, **s3)
    bucket = S3Storage(
        "evoai-uploads", access_key="testing", secret_key="testing", endpoint_url=moto_endpoint
    )
    await bucket.ensure_bucket()
    assert await bucket.versioning_status() == "Disabled"

    outcome = await enable_upload_versioning(settings)

    assert outcome == ("ok", "bucket evoai-uploads: versioning Enabled")
    assert await bucket.versioning_status() == "Enabled"
    # An overwritten upload keeps its previous version.
    await bucket.put("companies/c1/media/a.txt", b"one", "text/plain")
    await bucket.put("companies/c1/media/a.txt", b"two", "text/plain")
    versions = bucket._client.list_object_versions(Bucket="evoai-uploads", Prefix="companies/c1/media/a.txt")
    assert len(versions["Versions"]) == 2


async def test_backups_stream_to_s3_and_list(services: Services, tmp_path: Path, moto_endpoint: str) -> None:
    s3 = {"S3_BUCKET": "evoai-uploads", "S3_ACCESS_KEY": "testing", "S3_SECRET_KEY": "testing"}
    settings = backup_settings(
        services,
        tmp_path,
        STORAGE_PROVIDER="s3",
        S3_ENDPOINT=moto_endpoint,
        BACKUP_S3_BUCKET="evoai-backups",
        **s3,
    )
    storage = catalogue.backup_storage(settings)
    assert isinstance(storage, S3Storage)
    assert storage.bucket == "evoai-backups"
    await storage.ensure_bucket()
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (9 * 1024 * 1024))  # above boto3's multipart threshold
    stored = await storage.put_file("backups/postgres/big.dump", big, "application/octet-stream")
    back = tmp_path / "back.bin"
    await storage.get_file("backups/postgres/big.dump", back)
    assert back.read_bytes() == big.read_bytes()
    assert stored.size == big.stat().st_size
    assert [item.key for item in await storage.list_keys("backups/")] == ["backups/postgres/big.dump"]


async def test_setup_bucket_is_not_applicable_to_local_storage(ops_settings: Settings) -> None:
    state, message = await enable_upload_versioning(ops_settings)
    assert state == "n/a"
    assert "not applicable" in message
