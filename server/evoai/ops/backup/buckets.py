"""Uploads are backed up by the bucket itself: versioning keeps every overwritten or deleted object."""

from __future__ import annotations

from typing import Literal

from evoai.config import Settings
from evoai.storage.factory import build_storage
from evoai.storage.s3 import S3Storage


async def enable_upload_versioning(settings: Settings) -> tuple[Literal["ok", "n/a"], str]:
    if settings.STORAGE_PROVIDER != "s3":
        return "n/a", (
            "STORAGE_PROVIDER=local: bucket versioning is not applicable; back up EVOAI_DATA_DIR/storage "
            "with the machine's file backups"
        )
    storage = build_storage(settings)
    assert isinstance(storage, S3Storage)  # STORAGE_PROVIDER is s3
    status = await storage.enable_versioning()
    return "ok", f"bucket {settings.S3_BUCKET}: versioning {status}"
