"""`/sandbox/*`: unauthenticated JSON the pages use (and tests drive) to play the phone's side."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from evoai.sandbox import media as media_objects
from evoai.sandbox.errors import EvolutionError, bad_request
from evoai.sandbox.guards import json_body, sandbox_of
from evoai.sandbox.payloads import JSON, create_jid, digits, jid_user
from evoai.sandbox.views import chat_view, deliveries_view, instance_summary

router = APIRouter(prefix="/sandbox")

DEFAULT_CUSTOMER = {"name": "Cliente Sandbox", "number": "5511987654321"}


@router.get("/instances")
async def instances(request: Request) -> JSON:
    sandbox = sandbox_of(request)
    return {
        "version": sandbox.store.version,
        "instances": [instance_summary(i) for i in sandbox.store.instances.values()],
        "defaults": DEFAULT_CUSTOMER,
        "apiUrl": sandbox.settings.server_url,
    }


@router.get("/deliveries")
async def deliveries(request: Request) -> list[JSON]:
    return deliveries_view(sandbox_of(request).dispatcher)


@router.post("/instances/{name}/scan")
async def scan(request: Request, name: str) -> JSON:
    sandbox = sandbox_of(request)
    instance = sandbox.instance(name)
    body = await json_body(request)
    profile = body.get("profileName") if isinstance(body.get("profileName"), str) else None
    sandbox.scan(instance, profile)
    return instance_summary(instance)


@router.post("/instances/{name}/disconnect")
async def disconnect(request: Request, name: str) -> JSON:
    """'Desconectar pelo celular': the linked device was removed on the phone (401, logged out)."""
    sandbox = sandbox_of(request)
    instance = sandbox.instance(name)
    if instance.state == "close":
        raise bad_request(f'The "{name}" instance is not connected')
    sandbox.log_out(instance, 401)
    return instance_summary(instance)


def _media(spec: Any, max_bytes: int) -> tuple[bytes, str, str | None, bool]:
    if not isinstance(spec, dict) or not isinstance(spec.get("base64"), str):
        raise bad_request("media.base64 é obrigatório")
    encoded = spec["base64"].split(",", 1)[-1] if spec["base64"].startswith("data:") else spec["base64"]
    try:
        payload = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise bad_request("media.base64 não é base64 válido") from None
    if len(payload) > max_bytes:
        raise bad_request(f"Arquivo maior que {max_bytes} bytes")
    file_name = spec.get("fileName") if isinstance(spec.get("fileName"), str) else None
    given = spec.get("mimetype") if isinstance(spec.get("mimetype"), str) else None
    mimetype = given or media_objects.guess_mimetype(payload, file_name)
    return payload, mimetype, file_name, bool(spec.get("ptt", False))


@router.post("/instances/{name}/customer-messages")
async def customer_message(request: Request, name: str) -> JSONResponse:
    """The customer sends text, media, a reply (`quotedId`) or a reaction; `lid: true` hides the number."""
    sandbox = sandbox_of(request)
    instance = sandbox.instance(name)
    body = await json_body(request)
    number = digits(str(body.get("from") or DEFAULT_CUSTOMER["number"]))
    customer_name = str(body.get("name") or DEFAULT_CUSTOMER["name"])
    reaction = body.get("reaction")
    media = _media(body["media"], sandbox.settings.max_media_bytes) if body.get("media") else None
    data = sandbox.customer_message(
        instance,
        number,
        customer_name,
        text=body.get("text") if isinstance(body.get("text"), str) else None,
        media=media,
        quoted_id=body.get("quotedId") if isinstance(body.get("quotedId"), str) else None,
        reaction=(str(reaction.get("id")), str(reaction.get("emoji", "")))
        if isinstance(reaction, dict)
        else None,
        lid_only=body.get("lid") is True,
    )
    return JSONResponse({"id": data["key"]["id"], "data": data}, status_code=201)


def _chat_number(number: str) -> str:
    return jid_user(create_jid(digits(number)))


@router.get("/instances/{name}/chats/{number}")
async def chat(request: Request, name: str, number: str) -> JSON:
    sandbox = sandbox_of(request)
    instance = sandbox.instance(name)
    return chat_view(instance, _chat_number(number), sandbox.store.version)


@router.post("/instances/{name}/chats/{number}/read")
async def read(request: Request, name: str, number: str) -> JSON:
    """The customer has the chat open: the agent's messages turn READ (messages.update READ)."""
    sandbox = sandbox_of(request)
    return {"read": sandbox.customer_reads(sandbox.instance(name), _chat_number(number))}


@router.post("/instances/{name}/messages/{key_id}/played")
async def played(request: Request, name: str, key_id: str) -> JSON:
    sandbox = sandbox_of(request)
    sandbox.customer_plays(sandbox.instance(name), key_id)
    return {"played": key_id}


@router.get("/instances/{name}/media/{key_id}")
async def media(request: Request, name: str, key_id: str) -> Response:
    sandbox = sandbox_of(request)
    instance = sandbox.instance(name)
    record = instance.message(key_id)
    payload = sandbox.store.read_media(instance, record) if record else None
    if record is None or payload is None:
        raise EvolutionError(404, "Media not found")
    return Response(payload, media_type=record.media_mimetype or "application/octet-stream")
