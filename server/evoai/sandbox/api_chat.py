"""`/chat/*` of Evolution API 2.3.7."""

from __future__ import annotations

import base64
import math
import mimetypes
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from evoai.sandbox import media as media_objects
from evoai.sandbox.errors import as_dict, bad_request, require
from evoai.sandbox.guards import guarded, json_body
from evoai.sandbox.payloads import JSON, LID_SUFFIX, create_jid, is_on_whatsapp, jid_user
from evoai.sandbox.state import STATUS_RANK, Message

router = APIRouter()


@router.post("/chat/markMessageAsRead/{name}")
async def mark_as_read(request: Request, name: str) -> JSONResponse:
    sandbox, instance = guarded(request, name)
    body = await json_body(request)
    keys = body.get("readMessages")
    if not isinstance(keys, list):
        raise bad_request('instance requires property "readMessages"')
    for position, key in enumerate(keys):
        missing = [p for p in ("remoteJid", "fromMe", "id") if not isinstance(key, dict) or p not in key]
        if missing:
            raise bad_request(
                *[f'instance.readMessages[{position}] requires property "{p}"' for p in missing]
            )
    sandbox.agent_reads(instance, keys)
    return JSONResponse({"message": "Read messages", "read": "success"}, status_code=201)


@router.post("/chat/fetchProfilePictureUrl/{name}")
async def profile_picture(request: Request, name: str) -> JSON:
    guarded(request, name)
    body = await json_body(request)
    require(body, "number")
    return {"wuid": create_jid(body["number"]), "profilePictureUrl": None}


@router.post("/chat/whatsappNumbers/{name}")
async def whatsapp_numbers(request: Request, name: str) -> list[JSON]:
    _, instance = guarded(request, name)
    body = await json_body(request)
    numbers = body.get("numbers")
    if not isinstance(numbers, list) or not all(isinstance(n, str) for n in numbers):
        raise bad_request('instance requires property "numbers"')
    result = []
    for number in numbers:
        jid = create_jid(number)
        user = jid_user(jid)
        if jid.endswith(LID_SUFFIX):
            known = instance.customer_by_lid(user)
            entry: JSON = {"jid": jid, "exists": True, "number": number}
            result.append(entry | ({"name": known.name} if known and known.name else {}) | {"lid": "lid"})
            continue
        exists = jid.endswith("@s.whatsapp.net") and is_on_whatsapp(user)
        entry = {"jid": jid, "exists": exists, "number": number}
        customer = instance.customers.get(user)
        if exists and customer is not None and customer.name:
            entry["name"] = customer.name
        result.append(entry)
    return result


@router.post("/chat/getBase64FromMediaMessage/{name}")
async def media_base64(request: Request, name: str) -> JSONResponse:
    sandbox, instance = guarded(request, name)
    body = await json_body(request)
    message = body.get("message")
    key = message.get("key") if isinstance(message, dict) else None
    record = instance.message(str(key.get("id"))) if isinstance(key, dict) else None
    payload = sandbox.store.read_media(instance, record) if record is not None else None
    if record is None or payload is None:
        raise bad_request("TypeError: Cannot read properties of null (reading 'message')")
    content_key = media_objects.content_key(record.data["message"]) or ""
    content = record.data["message"][content_key]
    mimetype = str(content.get("mimetype", "application/octet-stream"))
    extension = (mimetypes.guess_extension(mimetype.split(";")[0]) or ".bin").lstrip(".")
    if mimetype.startswith("audio/ogg"):
        extension = "oga"
    result = {
        "mediaType": content_key,
        "fileName": content.get("fileName") or f"{record.key_id}.{extension}",
        "caption": content.get("caption"),
        "size": {
            "fileLength": content.get("fileLength"),
            "height": content.get("height"),
            "width": content.get("width"),
        },
        "mimetype": mimetype,
        "base64": base64.b64encode(payload).decode(),
        "buffer": None,
    }
    return JSONResponse({k: v for k, v in result.items() if k != "caption" or v is not None}, status_code=201)


def _js_date_seconds(value: Any) -> int:
    """`Math.floor(new Date(value).getTime() / 1000)` for the forms clients send."""
    if isinstance(value, bool):
        raise bad_request("Invalid messageTimestamp")
    if isinstance(value, int | float):
        return math.floor(value / 1000)
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise bad_request(f"Invalid messageTimestamp: {value}") from None
        if len(text) == 10:  # date-only strings are UTC midnight in JavaScript, date-times are local
            parsed = parsed.replace(tzinfo=UTC)
        return math.floor(parsed.timestamp())
    raise bad_request("Invalid messageTimestamp")


def _matches(record: Message, where: JSON, time_range: tuple[int, int] | None) -> bool:
    data = record.data
    key = data["key"]
    filters = as_dict(where.get("key"))
    checks = [
        where.get("id") in (None, record.row_id),
        where.get("source") in (None, data["source"]),
        where.get("messageType") in (None, data["messageType"]),
        not filters.get("id") or key.get("id") == filters["id"],
        # Evolution only filters on fromMe when it is true (`keyFilters?.fromMe ? … : {}`).
        not filters.get("fromMe") or key.get("fromMe") is True,
        not filters.get("participant") or key.get("participant") == filters["participant"],
        time_range is None or time_range[0] <= record.timestamp <= time_range[1],
    ]
    jids = [filters.get("remoteJid"), filters.get("remoteJidAlt")]
    wanted = [(field, jid) for field, jid in zip(("remoteJid", "remoteJidAlt"), jids, strict=True) if jid]
    if wanted and not any(key.get(field) == jid for field, jid in wanted):
        return False
    return all(checks)


def _record(record: Message) -> JSON:
    data = record.data
    push_name = data.get("pushName") or ("Você" if data["key"].get("fromMe") else None)
    updates = []
    if record.author == "agent":
        rank = STATUS_RANK.get(record.status, 0)
        updates = [{"status": s} for s, r in STATUS_RANK.items() if 2 <= r <= rank]
    return {
        "id": record.row_id,
        "key": data["key"],
        "pushName": push_name,
        "messageType": data["messageType"],
        "message": data["message"],
        "messageTimestamp": data["messageTimestamp"],
        "instanceId": data["instanceId"],
        "source": data["source"],
        "contextInfo": data.get("contextInfo"),
        "MessageUpdate": updates,
    }


def _positive_int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default


@router.post("/chat/findMessages/{name}")
async def find_messages(request: Request, name: str) -> JSON:
    _, instance = guarded(request, name)
    body = await json_body(request)
    where = as_dict(body.get("where"))
    time_range = None
    stamps = where.get("messageTimestamp")
    # Like Evolution, the range applies only when both ends are given.
    if isinstance(stamps, dict) and stamps.get("gte") and stamps.get("lte"):
        time_range = (_js_date_seconds(stamps["gte"]), _js_date_seconds(stamps["lte"]))
    ordered = enumerate(instance.all_messages())
    # Newest first; within one second the later message first, as a database sort by time would tend to.
    ranked = sorted(((m.timestamp, i, m) for i, m in ordered if _matches(m, where, time_range)), reverse=True)
    found = [m for _, _, m in ranked]
    per_page = _positive_int(body.get("offset"), 50)
    page = _positive_int(body.get("page"), 1)
    start = per_page * (page - 1)
    return {
        "messages": {
            "total": len(found),
            "pages": math.ceil(len(found) / per_page),
            "currentPage": page,
            "records": [_record(m) for m in found[start : start + per_page]],
        }
    }
