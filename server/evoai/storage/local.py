"""Files under `$EVOAI_DATA_DIR/storage/`, served by the signed `/api/media/...` route."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from evoai.storage import signing
from evoai.storage.base import ListedObject, StorageError, StorageNotFound, StoredObject, validate_key
from evoai.storage.media import mimetype_for_extension


class LocalStorage:
    def __init__(self, root: Path, *, signing_secret: bytes, base_url: str = "") -> None:
        self.root = root.resolve()
        self.signing_secret = signing_secret
        self._base_url = base_url

    def path_for(self, key: str) -> Path:
        path = (self.root / validate_key(key)).resolve()
        # validate_key already forbids '..'; this also catches a symlink planted inside the root.
        if not path.is_relative_to(self.root):
            raise StorageNotFound(key)
        return path

    def content_type_for(self, key: str) -> str:
        """Local files carry no metadata: the type follows the extension chosen at validation."""
        return mimetype_for_extension(key.rsplit(".", 1)[-1] if "." in key else "")

    async def put(self, key: str, data: bytes, content_type: str) -> StoredObject:
        path = self.path_for(key)
        await asyncio.to_thread(_write_atomically, path, data)
        return StoredObject(key, len(data), content_type, hashlib.sha256(data).hexdigest())

    async def get(self, key: str) -> bytes:
        path = self.path_for(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise StorageNotFound(key) from None

    async def delete(self, key: str) -> None:
        path = self.path_for(key)
        with contextlib.suppress(FileNotFoundError):
            await asyncio.to_thread(path.unlink)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self.path_for(key).is_file)

    async def signed_url(self, key: str, *, ttl_seconds: int, download_name: str | None = None) -> str:
        validate_key(key)
        return signing.signed_path(
            self.signing_secret, key, ttl_seconds=ttl_seconds, name=download_name, base_url=self._base_url
        )

    async def put_file(self, key: str, path: Path, content_type: str) -> StoredObject:
        """Copy a (large) file in, hashing as it streams; atomic like put()."""
        target = self.path_for(key)
        size, digest = await asyncio.to_thread(_copy_atomically, path, target)
        return StoredObject(key, size, content_type, digest)

    async def get_file(self, key: str, path: Path) -> None:
        source = self.path_for(key)
        if not await asyncio.to_thread(source.is_file):
            raise StorageNotFound(key)
        await asyncio.to_thread(_copy_atomically, source, path)

    async def list_keys(self, prefix: str) -> list[ListedObject]:
        """Every stored key starting with `prefix`, in key order (temporary files excluded)."""
        return await asyncio.to_thread(self._list_keys, prefix)

    def _list_keys(self, prefix: str) -> list[ListedObject]:
        if not self.root.is_dir():
            return []
        # Walk only the deepest directory the prefix names, not the whole storage tree.
        base = self.root / prefix.rsplit("/", 1)[0] if "/" in prefix else self.root
        if not base.is_dir():
            return []
        found: list[ListedObject] = []
        for path in base.rglob("*"):
            if not path.is_file() or path.name.startswith(".tmp-"):
                continue
            key = path.relative_to(self.root).as_posix()
            if key.startswith(prefix):
                info = path.stat()
                found.append(ListedObject(key, info.st_size, datetime.fromtimestamp(info.st_mtime, UTC)))
        return sorted(found, key=lambda item: item.key)


def _copy_atomically(source: Path, target: Path) -> tuple[int, str]:
    """Stream `source` into `target` through a temporary file; returns (size, sha256)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as handle, source.open("rb") as reader:
            while chunk := reader.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o640)
        os.replace(temp_name, target)
    except BaseException as exc:
        Path(temp_name).unlink(missing_ok=True)
        if isinstance(exc, FileNotFoundError) and exc.filename == str(source):
            raise StorageNotFound(source.name) from exc
        if isinstance(exc, OSError):
            raise StorageError(f"falha ao gravar {target.name}: {exc.strerror}") from exc
        raise
    return size, digest.hexdigest()


def _write_atomically(path: Path, data: bytes) -> None:
    """Readers see the old file or the whole new one, never a partial write (rename is atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o640)
        os.replace(temp_name, path)
    except BaseException as exc:
        Path(temp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise StorageError(f"falha ao gravar {path.name}: {exc.strerror}") from exc
        raise
