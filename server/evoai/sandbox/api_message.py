"""`/message/send*` of Evolution API 2.3.7."""

from __future__ import annotations

import base64
import binascii
import mimetypes
import re
from urllib.parse import unquote, urlsplit

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from evoai.sandbox import media as media_objects
from evoai.sandbox.errors import as_dict, bad_request, require
from evoai.sandbox.guards import body_and_file, guarded, json_body
from evoai.sandbox.payloads import JSON
from evoai.sandbox.service import Sandbox
from evoai.sandbox.state import Instance

router = APIRouter()

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_MEDIA_TYPES = ("image", "document", "video", "audio")


def _delay(body: JSON) -> int:
    value = body.get("delay")
    return int(value) if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()) else 0


def _quoted(body: JSON) -> JSON | None:
    quoted = body.get("quoted")
    if quoted is None:
        return None
    key = as_dict(quoted).get("key")
    if not isinstance(key, dict) or not key.get("id"):
        raise bad_request('instance.quoted.key requires property "id"')
    return as_dict(quoted)


def _decode_base64(value: str) -> bytes | None:
    """class-validator's isBase64: plain base64 only, so `data:` URLs fail (and so are refused)."""
    compact = value.strip()
    if not compact or len(compact) % 4 or not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", compact):
        return None
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None


async def _load_media(sandbox: Sandbox, source: object, upload: bytes | None) -> tuple[bytes, str | None]:
    """The bytes of `media`/`audio` (URL or raw base64) or of the uploaded file, and a name from a URL."""
    if upload is not None:
        data, name = upload, None
    elif isinstance(source, str) and _URL.match(source):
        try:
            response = await sandbox.dispatcher.client.get(source, follow_redirects=True)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise bad_request(f"Error: could not download the media: {exc}") from None
        data, name = response.content, unquote(urlsplit(source).path.rsplit("/", 1)[-1]) or None
    else:
        decoded = _decode_base64(source) if isinstance(source, str) else None
        if decoded is None:
            raise bad_request("Owned media must be a url or base64")
        data, name = decoded, None
    if len(data) > sandbox.settings.max_media_bytes:
        raise bad_request(f"Media larger than {sandbox.settings.max_media_bytes} bytes")
    return data, name


@router.post("/message/sendText/{name}")
async def send_text(request: Request, name: str) -> JSONResponse:
    sandbox, instance = guarded(request, name)
    body = await json_body(request)
    require(body, "number", "text")
    if not body["text"].strip():
        raise bad_request("Text is required")
    content: JSON = {"conversation": body["text"]}
    sent = await sandbox.send_from_agent(
        instance, body["number"], content, quoted=_quoted(body), delay_ms=_delay(body)
    )
    return JSONResponse(sent, status_code=201)


@router.post("/message/sendMedia/{name}")
async def send_media(request: Request, name: str) -> JSONResponse:
    sandbox, instance = guarded(request, name)
    body, upload, upload_name = await body_and_file(request)
    require(body, "number", "mediatype")
    kind = body["mediatype"]
    if kind not in _MEDIA_TYPES:
        raise bad_request(f"instance.mediatype is not one of enum values: {','.join(_MEDIA_TYPES)}")
    file_name = body.get("fileName") if isinstance(body.get("fileName"), str) else None
    media_field = body.get("media")
    is_base64 = isinstance(media_field, str) and _decode_base64(media_field) is not None
    if upload is None and is_base64 and not file_name and kind == "document":
        raise bad_request("For base64 the file name must be informed.")
    data, url_name = await _load_media(sandbox, media_field, upload)
    file_name = file_name or upload_name or (url_name if kind == "document" else None)
    mimetype = _mimetype(data, file_name, body.get("mimetype"))
    caption = body.get("caption") if isinstance(body.get("caption"), str) else None
    content = {
        media_objects.CONTENT_KEYS[kind]: media_objects.media_content(
            kind, data, mimetype, caption=caption, file_name=file_name or "arquivo"
        )
    }
    return await _send(sandbox, instance, body, content, data, mimetype, quoted=_quoted(body))


def _mimetype(data: bytes, file_name: str | None, given: object) -> str:
    """A file name's extension wins over `mimetype`, as in Evolution."""
    if file_name:
        guessed = mimetypes.guess_type(file_name)[0]
        if guessed:
            return guessed
    if isinstance(given, str) and given:
        return str(given)
    return media_objects.guess_mimetype(data, file_name)


async def _send(
    sandbox: Sandbox,
    instance: Instance,
    body: JSON,
    content: JSON,
    data: bytes,
    mimetype: str,
    *,
    quoted: JSON | None,
) -> JSONResponse:
    sent = await sandbox.send_from_agent(
        instance, body["number"], content, quoted=quoted, media=(data, mimetype), delay_ms=_delay(body)
    )
    return JSONResponse(sent, status_code=201)


@router.post("/message/sendWhatsAppAudio/{name}")
async def send_voice(request: Request, name: str) -> JSONResponse:
    sandbox, instance = guarded(request, name)
    body, upload, _ = await body_and_file(request)
    require(body, "number")
    if upload is None and "audio" not in body:
        raise bad_request('instance requires property "audio"')
    data, _ = await _load_media(sandbox, body.get("audio"), upload)
    mimetype = media_objects.VOICE_MIMETYPE
    content = {"audioMessage": media_objects.media_content("audio", data, mimetype, ptt=True)}
    # `quoted` is ignored by sendWhatsAppAudio up to 2.3.7.
    return await _send(sandbox, instance, body, content, data, mimetype, quoted=None)


@router.post("/message/sendReaction/{name}")
async def send_reaction(request: Request, name: str) -> JSONResponse:
    sandbox, instance = guarded(request, name)
    body = await json_body(request)
    key = body.get("key")
    if not isinstance(key, dict):
        raise bad_request('instance requires property "key"')
    missing = [f'instance.key requires property "{p}"' for p in ("id", "remoteJid", "fromMe") if p not in key]
    if missing or "reaction" not in body:
        raise bad_request(
            *missing, *([] if "reaction" in body else ['instance requires property "reaction"'])
        )
    reaction = body["reaction"]
    if not isinstance(reaction, str) or not _is_single_emoji(reaction):
        raise bad_request("Reaction must be a single emoji or empty string")
    target = {"remoteJid": key["remoteJid"], "fromMe": key["fromMe"], "id": key["id"]}
    if key.get("participant"):
        target["participant"] = key["participant"]
    content: JSON = {"reactionMessage": {"key": target, "text": reaction}}
    sent = await sandbox.send_from_agent(instance, str(key["remoteJid"]), content)
    return JSONResponse(sent, status_code=201)


def _is_single_emoji(value: str) -> bool:
    """Empty (remove the reaction) or one emoji, possibly with modifiers and joiners."""
    if value == "":
        return True
    if len(value) > 16 or any(ch.isalnum() or ch.isspace() for ch in value):
        return False
    return any(ord(ch) >= 0x2190 for ch in value)
