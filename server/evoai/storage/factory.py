"""One storage backend per Settings object, so boto3 clients and derived keys are built once."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable

from evoai.config import Settings
from evoai.storage.base import Storage
from evoai.storage.local import LocalStorage
from evoai.storage.s3 import S3Storage
from evoai.storage.signing import derive_signing_key

# Settings are unhashable pydantic models: key by identity, and drop the entry when they are collected.
_cache: dict[int, tuple[weakref.ReferenceType[Settings], Storage]] = {}
_lock = threading.RLock()  # re-entrant: a weakref callback may fire during a GC inside the lock


def build_storage(settings: Settings) -> Storage:
    if settings.STORAGE_PROVIDER == "s3":
        return S3Storage(
            settings.S3_BUCKET,
            region=settings.S3_REGION,
            access_key=settings.S3_ACCESS_KEY,
            secret_key=settings.S3_SECRET_KEY,
            endpoint_url=settings.S3_ENDPOINT,
        )
    return LocalStorage(
        settings.EVOAI_DATA_DIR / "storage",
        signing_secret=derive_signing_key(settings.encryption_key_bytes),
        base_url=settings.API_URL,
    )


def get_storage(settings: Settings) -> Storage:
    ident = id(settings)
    with _lock:
        cached = _cache.get(ident)
        if cached is not None and cached[0]() is settings:
            return cached[1]
        storage = build_storage(settings)
        _cache[ident] = (weakref.ref(settings, _forget(ident)), storage)
        return storage


def _forget(ident: int) -> Callable[[weakref.ReferenceType[Settings]], None]:
    def forget(ref: weakref.ReferenceType[Settings]) -> None:
        with _lock:
            entry = _cache.get(ident)
            if entry is not None and entry[0] is ref:
                del _cache[ident]

    return forget
