"""WhatsApp media message objects (imageMessage, documentMessage, …) for bytes the sandbox holds.

The CDN fields (url, directPath, mediaKey, hashes) are shaped like the real ones but point nowhere: the
bytes are only reachable through `message.base64` or `/chat/getBase64FromMediaMessage`, as with Evolution.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import secrets
import struct
from typing import Any

from evoai.sandbox.payloads import JSON, index_bytes, long_value, now_seconds

KINDS = ("image", "video", "audio", "document")
CONTENT_KEYS = {
    "image": "imageMessage",
    "video": "videoMessage",
    "audio": "audioMessage",
    "document": "documentMessage",
    "sticker": "stickerMessage",
}
VOICE_MIMETYPE = "audio/ogg; codecs=opus"
# A 1x1 grey JPEG: WhatsApp always sends a thumbnail for images; receivers treat it as opaque bytes.
THUMBNAIL = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////"
    "////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA="
)


def guess_mimetype(data: bytes, file_name: str | None, fallback: str = "application/octet-stream") -> str:
    import filetype

    kind = filetype.guess(data)
    if kind is not None:
        return str(kind.mime)
    if file_name:
        guessed, _ = mimetypes.guess_type(file_name)
        if guessed:
            return guessed
    return fallback


def kind_for_mimetype(mimetype: str) -> str:
    major = mimetype.split("/")[0]
    return major if major in ("image", "video", "audio") else "document"


def extension_for(mimetype: str) -> str:
    base = mimetype.split(";")[0].strip()
    special = {"audio/ogg": ".ogg", "image/jpeg": ".jpeg", "audio/mpeg": ".mp3", "video/mp4": ".mp4"}
    return special.get(base) or mimetypes.guess_extension(base) or ".bin"


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG; a plausible default for anything else."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:2] == b"\xff\xd8":
        position = 2
        while position + 9 < len(data):
            if data[position] != 0xFF:
                break
            marker = data[position + 1]
            length = int.from_bytes(data[position + 2 : position + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[position + 5 : position + 9])
                return int(width), int(height)
            position += 2 + length
    return 1080, 1080


def _cdn_path() -> str:
    return (
        f"/v/t62.7118-24/{secrets.token_hex(12)}.enc?ccb=11-4&oh=01_{secrets.token_urlsafe(24)}&oe=6961A2B3"
    )


def media_content(
    kind: str,
    data: bytes,
    mimetype: str,
    *,
    caption: str | None = None,
    file_name: str | None = None,
    ptt: bool = False,
    context_info: JSON | None = None,
) -> JSON:
    """The `<kind>Message` object, fields in the order WhatsApp emits them (§5.2)."""
    path = _cdn_path()
    sha = index_bytes(hashlib.sha256(data).digest())
    common: dict[str, Any] = {"url": "https://mmg.whatsapp.net" + path, "mimetype": mimetype}
    crypto: dict[str, Any] = {
        "mediaKey": index_bytes(secrets.token_bytes(32)),
        "fileEncSha256": index_bytes(secrets.token_bytes(32)),
        "directPath": path,
        "mediaKeyTimestamp": long_value(now_seconds(), unsigned=False),
    }
    size = long_value(len(data), unsigned=True)
    if kind == "image":
        width, height = image_size(data)
        content = {**common, **({"caption": caption} if caption else {}), "fileSha256": sha}
        content |= {"fileLength": size, "height": height, "width": width, **crypto}
        content["jpegThumbnail"] = index_bytes(THUMBNAIL)
    elif kind == "video":
        content = {**common, "fileSha256": sha, "fileLength": size, "seconds": _seconds(data, 250_000)}
        content |= {"mediaKey": crypto.pop("mediaKey"), **({"caption": caption} if caption else {})}
        content |= {"height": 720, "width": 1280, **crypto}
    elif kind == "audio":
        content = {**common, "fileSha256": sha, "fileLength": size, "seconds": _seconds(data, 4_000)}
        content |= {"ptt": ptt, **crypto}
    else:
        title = file_name or "arquivo"
        content = {**common, "title": title, "fileSha256": sha, "fileLength": size}
        content |= {"mediaKey": crypto.pop("mediaKey"), "fileName": title, **crypto, "contactVcard": False}
        if caption:
            content["caption"] = caption
    if context_info:
        content["contextInfo"] = context_info
    return content


def _seconds(data: bytes, bytes_per_second: int) -> int:
    return max(1, round(len(data) / bytes_per_second))


def content_key(message: JSON) -> str | None:
    """Baileys' getContentType: the first `conversation` or `…Message` key."""
    for key in message:
        if key == "conversation" or (key.endswith("Message") and key != "senderKeyDistributionMessage"):
            return key
    return None


def media_kind_of(message: JSON) -> str | None:
    key = content_key(message)
    for kind, name in CONTENT_KEYS.items():
        if name == key:
            return kind
    return None
