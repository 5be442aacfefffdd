"""The storage contract shared by the local and S3 backends, and the key rules both enforce."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol, runtime_checkable
from urllib.parse import quote

# Keys end up as file paths and URL paths: a tight alphabet keeps both unambiguous and traversal-free.
_KEY = re.compile(r"^[A-Za-z0-9._/-]+$")
MAX_KEY_LENGTH = 512


class StorageError(Exception):
    """The storage backend failed (I/O, network, credentials)."""


class StorageNotFound(StorageError):
    """No object is stored under the key."""


class InvalidKey(StorageError, ValueError):
    """The key could escape the storage root or is not a plain relative path."""


@dataclass(frozen=True, slots=True)
class StoredObject:
    key: str
    size: int
    content_type: str
    sha256: str


@dataclass(frozen=True, slots=True)
class ListedObject:
    key: str
    size: int
    modified: datetime


@runtime_checkable
class Storage(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> StoredObject: ...

    async def get(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...

    async def exists(self, key: str) -> bool: ...

    async def signed_url(self, key: str, *, ttl_seconds: int, download_name: str | None = None) -> str: ...


@runtime_checkable
class FileStorage(Storage, Protocol):
    """Large objects (backups) streamed from and to files, and listing by prefix."""

    async def put_file(self, key: str, path: Path, content_type: str) -> StoredObject: ...

    async def get_file(self, key: str, path: Path) -> None: ...

    async def list_keys(self, prefix: str) -> list[ListedObject]: ...


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def validate_key(key: str) -> str:
    """Return the key unchanged, or raise InvalidKey."""
    if not key or len(key) > MAX_KEY_LENGTH or not _KEY.match(key):
        raise InvalidKey("chave de armazenamento inválida")
    parts = key.split("/")
    # Empty segments ('a//b', leading or trailing '/') would map two keys onto one file.
    if any(part in ("", ".", "..") for part in parts):
        raise InvalidKey("chave de armazenamento inválida")
    return key


def _ascii_fallback(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9._ -]", "_", folded).strip(" .")
    return cleaned or "arquivo"


def safe_download_name(name: str) -> str:
    """Drop directory parts and control characters so a name cannot forge headers or paths."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:200] or "arquivo"


def content_disposition(download_name: str | None) -> str:
    """'inline', or 'attachment' with an ASCII filename plus the RFC 6266/5987 UTF-8 form."""
    if download_name is None:
        return "inline"
    name = safe_download_name(download_name)
    return f"attachment; filename=\"{_ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
