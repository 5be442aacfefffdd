"""Where media and attachment bytes live: local disk in development, S3-compatible storage in production."""

from evoai.storage.base import (
    InvalidKey,
    Storage,
    StorageError,
    StorageNotFound,
    StoredObject,
    content_disposition,
    validate_key,
)
from evoai.storage.factory import build_storage, get_storage
from evoai.storage.media import (
    MEDIA_KINDS,
    MediaKind,
    MediaRejected,
    ValidatedMedia,
    media_key,
    validate_media,
)

__all__ = [
    "MEDIA_KINDS",
    "InvalidKey",
    "MediaKind",
    "MediaRejected",
    "Storage",
    "StorageError",
    "StorageNotFound",
    "StoredObject",
    "ValidatedMedia",
    "build_storage",
    "content_disposition",
    "get_storage",
    "media_key",
    "validate_key",
    "validate_media",
]
