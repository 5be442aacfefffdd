"""`/instance/*` and `/webhook/*` of Evolution API 2.3.7."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from evoai.sandbox.errors import EvolutionError, as_dict, bad_request, object_body, require
from evoai.sandbox.guards import global_key, guarded, json_body, sandbox_of
from evoai.sandbox.payloads import JSON, row_id
from evoai.sandbox.service import Sandbox, new_instance
from evoai.sandbox.state import ALL_EVENTS, Instance, Webhook, iso_now

router = APIRouter()

SETTING_DEFAULTS: JSON = {
    "rejectCall": False,
    "msgCall": "",
    "groupsIgnore": False,
    "alwaysOnline": False,
    "readMessages": False,
    "readStatus": False,
    "syncFullHistory": False,
    "wavoipToken": "",
}


def _webhook_from(body: Any, existing: Webhook | None, *, on_create: bool) -> Webhook:
    """A webhook config from a nested `webhook` object, with Evolution's rules for `events`."""
    spec = object_body(body)
    enabled = True if on_create else bool(spec.get("enabled"))
    if "events" not in spec and enabled:
        # Evolution reads `events.length` unchecked: a 400 from create, an unhandled 500 from set.
        error = "TypeError: Cannot read properties of undefined (reading 'length')"
        raise EvolutionError(400 if on_create else 500, error)
    events = spec.get("events", [])
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        raise bad_request("instance.webhook.events is not of a type(s) array")
    if not on_create:
        unknown = [e for e in events if e not in ALL_EVENTS]
        if unknown:
            raise bad_request(f"instance.webhook.events[0] is not one of enum values: {','.join(ALL_EVENTS)}")
    headers = spec.get("headers") if isinstance(spec.get("headers"), dict) else {}
    webhook = existing or Webhook(id=row_id(), url="")
    webhook.url = str(spec.get("url") or "")
    webhook.enabled = enabled
    webhook.headers = dict(headers or {})
    webhook.by_events = bool(spec.get("byEvents", False))
    webhook.base64 = bool(spec.get("base64", False))
    webhook.events = (list(events) or list(ALL_EVENTS)) if enabled else []
    webhook.updated_at = iso_now()
    return webhook


@router.post("/instance/create")
async def create(request: Request) -> JSONResponse:
    sandbox = sandbox_of(request)
    body = await json_body(request)
    name = body.get("instanceName")
    if isinstance(name, str) and name in sandbox.store.instances:
        raise EvolutionError(403, f'This name "{name}" is already in use.')
    global_key(request)
    require(body, "instanceName")
    if not name:
        raise bad_request('The "instanceName" cannot be empty')
    if body.get("integration") != "WHATSAPP-BAILEYS":
        raise bad_request("Invalid integration")
    token = body.get("token") if isinstance(body.get("token"), str) and body.get("token") else None
    instance = new_instance(str(name), token, "WHATSAPP-BAILEYS")
    if body.get("webhook") is not None:
        instance.webhook = _webhook_from(body["webhook"], None, on_create=True)
    instance.settings = {k: body.get(k, default) for k, default in SETTING_DEFAULTS.items()}
    sandbox.store.instances[instance.name] = instance
    sandbox.store.changed()
    sandbox.emit(instance, "instance.create", {"instanceName": instance.name, "instanceId": instance.id})
    hook = as_dict(body.get("webhook"))
    result: JSON = {
        "instance": {
            "instanceName": instance.name,
            "instanceId": instance.id,
            "integration": instance.integration,
            "webhookWaBusiness": None,
            "accessTokenWaBusiness": "",
            "status": instance.state,
        },
        "hash": instance.token,
        "webhook": _without_none(
            {
                "webhookUrl": hook.get("url"),
                "webhookHeaders": hook.get("headers"),
                "webhookByEvents": hook.get("byEvents"),
                "webhookBase64": hook.get("base64"),
            }
        ),
        "websocket": {},
        "rabbitmq": {},
        "nats": {},
        "sqs": {},
        "settings": instance.settings,
    }
    if body.get("qrcode") is True:
        number = body.get("number")
        sandbox.connect(instance, str(number) if number else None)
        result["instance"]["status"] = instance.state
        result["qrcode"] = instance.qr.public() if instance.qr else {"count": 0}
    return JSONResponse(result, status_code=201)


def _without_none(values: JSON) -> JSON:
    return {key: value for key, value in values.items() if value is not None}


def _state(instance: Instance) -> JSON:
    return {"instance": {"instanceName": instance.name, "state": instance.state}}


@router.get("/instance/connect/{name}")
async def connect(request: Request, name: str, number: str | None = None) -> JSON:
    sandbox, instance = guarded(request, name)
    if instance.state == "open":
        return _state(instance)
    if instance.state == "close":
        sandbox.connect(instance, number)
    return instance.qr.public() if instance.qr else {"count": 0}


@router.get("/instance/connectionState/{name}")
async def connection_state(request: Request, name: str) -> JSON:
    _, instance = guarded(request, name)
    return _state(instance)


@router.post("/instance/restart/{name}")
async def restart(request: Request, name: str) -> JSON:
    _, instance = guarded(request, name)
    if instance.state == "close":
        return {"error": True, "message": f'Error: The "{name}" instance is not connected'}
    return {"instance": {"instanceName": instance.name, "status": instance.state}}


@router.get("/instance/fetchInstances")
async def fetch_instances(request: Request, instanceName: str | None = None) -> list[JSON]:
    sandbox = sandbox_of(request)
    key = request.headers.get("apikey")
    if not key:
        raise EvolutionError(401)
    instances = list(sandbox.store.instances.values())
    if key != sandbox.settings.api_key:
        own = [i for i in instances if i.token == key and (not instanceName or i.name == instanceName)]
        if not own:
            raise EvolutionError(401)
        return [_row(i) for i in own]
    if instanceName:
        if instanceName not in sandbox.store.instances:
            raise EvolutionError(404, f'Instance "{instanceName}" not found')
        instances = [sandbox.store.instances[instanceName]]
    return [_row(i) for i in instances]


def _row(instance: Instance) -> JSON:
    """The Prisma `Instance` row with the includes Evolution's fetchInstances adds."""
    messages = instance.all_messages()
    return {
        "id": instance.id,
        "name": instance.name,
        "connectionStatus": instance.state,
        "ownerJid": instance.owner_jid,
        "profileName": instance.profile_name or None,
        "profilePicUrl": None,
        "integration": instance.integration,
        "number": instance.number,
        "businessId": None,
        "token": instance.token,
        "clientName": "evolution_exchange",
        "disconnectionReasonCode": instance.disconnection_code,
        "disconnectionObject": None,
        "disconnectionAt": instance.disconnection_at,
        "createdAt": instance.created_at,
        "updatedAt": instance.updated_at,
        "Chatwoot": None,
        "Proxy": None,
        "Rabbitmq": None,
        "Nats": None,
        "Sqs": None,
        "Websocket": None,
        "Setting": {
            "id": instance.id[:8] + secrets.token_hex(4),
            **instance.settings,
            "instanceId": instance.id,
        },
        "_count": {"Message": len(messages), "Contact": len(instance.customers), "Chat": len(instance.chats)},
    }


@router.delete("/instance/logout/{name}")
async def logout(request: Request, name: str) -> JSON:
    sandbox, instance = guarded(request, name)
    if instance.state == "close":
        raise bad_request(f'The "{name}" instance is not connected')
    _logout(sandbox, instance)
    return {"status": "SUCCESS", "error": False, "response": {"message": "Instance logged out"}}


def _logout(sandbox: Sandbox, instance: Instance) -> None:
    sandbox.log_out(instance, 401)
    sandbox.emit(instance, "logout.instance", None)


@router.delete("/instance/delete/{name}")
async def delete(request: Request, name: str) -> JSON:
    sandbox, instance = guarded(request, name)
    if instance.state in ("open", "connecting"):
        _logout(sandbox, instance)
    sandbox.emit(instance, "instance.delete", {"instanceName": instance.name, "instanceId": instance.id})
    sandbox.emit(instance, "remove.instance", None)
    sandbox.store.remove_instance(instance)
    return {"status": "SUCCESS", "error": False, "response": {"message": "Instance deleted"}}


@router.post("/webhook/set/{name}")
async def set_webhook(request: Request, name: str) -> JSONResponse:
    sandbox, instance = guarded(request, name)
    body = await json_body(request)
    if "webhook" not in body:
        raise bad_request('instance requires property "webhook"')
    spec = object_body(body["webhook"])
    problems = [f'instance.webhook requires property "{p}"' for p in ("enabled", "url") if p not in spec]
    if problems:
        raise bad_request(*problems)
    instance.webhook = _webhook_from(spec, instance.webhook, on_create=False)
    sandbox.touch(instance)
    return JSONResponse(instance.webhook.row(instance.id), status_code=201)


@router.get("/webhook/find/{name}")
async def find_webhook(request: Request, name: str) -> JSON | None:
    _, instance = guarded(request, name)
    return instance.webhook.row(instance.id) if instance.webhook else None
