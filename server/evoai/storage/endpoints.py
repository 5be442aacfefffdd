"""GET /media/{key}: serves locally stored files to whoever holds a valid signed link.

There is no bearer token here on purpose: <img>/<audio> tags cannot send one, so the signature and
its short expiry are the authorisation. With S3 the links point at the bucket and this route is unused.
"""

from __future__ import annotations

import time

from fastapi import APIRouter
from fastapi.responses import FileResponse

from evoai.deps import SettingsDep
from evoai.exceptions import Forbidden, NotFound
from evoai.storage import signing
from evoai.storage.base import InvalidKey, StorageNotFound, content_disposition
from evoai.storage.factory import get_storage
from evoai.storage.local import LocalStorage

router = APIRouter(tags=["media"])
_NOT_FOUND = "Arquivo não encontrado"


@router.get("/media/{key:path}", response_class=FileResponse)
async def serve_media(
    key: str,
    settings: SettingsDep,
    exp: str | None = None,
    sig: str | None = None,
    name: str | None = None,
) -> FileResponse:
    storage = get_storage(settings)
    if not isinstance(storage, LocalStorage):
        raise NotFound(_NOT_FOUND)
    try:
        expiry = signing.verify(storage.signing_secret, key, exp, sig, name)
    except signing.SignatureExpired:
        raise Forbidden("Link de mídia expirado") from None
    except signing.SignatureInvalid:
        raise Forbidden("Link de mídia inválido") from None
    try:
        path = storage.path_for(key)
    except (InvalidKey, StorageNotFound):
        raise NotFound(_NOT_FOUND) from None
    if not path.is_file():
        raise NotFound(_NOT_FOUND)
    remaining = max(0, expiry - int(time.time()))
    return FileResponse(
        path,
        media_type=storage.content_type_for(key),
        content_disposition_type="inline",
        headers={
            "Content-Disposition": content_disposition(name),
            "Cache-Control": f"private, max-age={remaining}",
            "X-Content-Type-Options": "nosniff",
        },
    )
