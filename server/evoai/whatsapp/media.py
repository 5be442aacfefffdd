"""Copy WhatsApp media into our storage: inline base64 from a webhook, or bytes fetched by the worker."""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid

import structlog

from evoai.config import Settings
from evoai.storage.base import StorageError
from evoai.storage.factory import get_storage
from evoai.storage.media import MediaRejected, media_key, validate_media
from evoai.whatsapp.ingest import StoredMedia
from evoai.whatsapp.providers.base import MEDIA_KINDS, InboundMessage, WebhookEvent

log = structlog.get_logger(__name__)


async def keep_media(
    settings: Settings, company_id: uuid.UUID, kind: str, data: bytes, declared_mime: str | None
) -> StoredMedia:
    """Validate and store; a refused file becomes a StoredMedia with the reason (the message is kept)."""
    try:
        checked = validate_media(data, kind, declared_mime, max_bytes=settings.MEDIA_MAX_BYTES)
    except MediaRejected as exc:
        return StoredMedia(key=None, mimetype=declared_mime, size=len(data), rejected_reason=exc.reason)
    key = media_key(company_id, kind, hashlib.sha256(data).hexdigest(), checked.extension)
    stored = await get_storage(settings).put(key, data, checked.mimetype)
    return StoredMedia(key=stored.key, mimetype=checked.mimetype, size=stored.size)


async def store_inline_media(
    settings: Settings, company_id: uuid.UUID, events: tuple[WebhookEvent, ...]
) -> dict[str, StoredMedia]:
    """Media a gateway embedded in the webhook, stored before the transaction so the message row can
    point at it. Keys are content hashes, so a redelivery rewrites the same object. A storage failure
    leaves the message pending: the worker then downloads it from the gateway."""
    stored: dict[str, StoredMedia] = {}
    for event in events:
        if not isinstance(event, InboundMessage) or event.kind not in MEDIA_KINDS or event.media is None:
            continue
        if not event.media.base64:
            continue
        try:
            data = base64.b64decode(event.media.base64, validate=False)
        except (binascii.Error, ValueError):
            continue
        try:
            stored[event.message_id] = await keep_media(
                settings, company_id, event.kind, data, event.media.mimetype
            )
        except (StorageError, OSError) as exc:
            log.warning("media.inline_store_failed", message_id=event.message_id, error=str(exc)[:200])
    return stored
